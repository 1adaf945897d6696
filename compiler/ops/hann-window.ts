/** HannWindow (opset 17): 0.5 - 0.5 cos(2 pi n / D). */
import { cosineWindowOp } from "./util/elementwise-window.js";

export const HannWindow_17 = cosineWindowOp("HannWindow", [0.5, 0.5]);
