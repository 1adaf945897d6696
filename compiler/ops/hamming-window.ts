/** HammingWindow (opset 17): 25/46 - 21/46 cos(2 pi n / D). */
import { cosineWindowOp } from "./util/elementwise-window.js";

export const HammingWindow_17 = cosineWindowOp("HammingWindow", [25 / 46, 21 / 46]);
