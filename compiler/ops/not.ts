/** Not: logical negation of a bool tensor. */
import { unaryOp } from "./util/elementwise.js";

export const Not_1 = unaryOp({ opType: "Not", sinceVersion: 1, dtypes: "bool", fn: () => (x) => (x ? 0 : 1) });
