/**
 * ArgMax: index of the largest value along `axis`. One definition serves every opset: 11 only
 * allows negative axes and 12 adds `select_last_index`, which older models never set.
 */
import { argOp } from "./util/reduce-arg.js";

export const ArgMax_1 = argOp("ArgMax", 1, (a, b) => a > b);
