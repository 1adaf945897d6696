/** Floor: largest integer <= x. */
import { unaryOp } from "./util/elementwise.js";

export const Floor_1 = unaryOp({ opType: "Floor", sinceVersion: 1, dtypes: "float", fn: () => Math.floor });
