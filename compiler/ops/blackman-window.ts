/** BlackmanWindow (opset 17): 0.42 - 0.5 cos(2 pi n / D) + 0.08 cos(4 pi n / D). */
import { cosineWindowOp } from "./util/elementwise-window.js";

export const BlackmanWindow_17 = cosineWindowOp("BlackmanWindow", [0.42, 0.5, 0.08]);
