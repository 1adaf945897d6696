/** GlobalMaxPool (opset 1 onward): maximum over all spatial axes, X [N, C, d...] -> [N, C, 1...]. */
import { globalPoolOp } from "./global-average-pool.js";

// NaN wins, as in numpy's maximum
export const GlobalMaxPool_1 = globalPoolOp("GlobalMaxPool", (d, start, len) => {
  let m = -Infinity;
  for (let i = start; i < start + len; i++) if (d[i]! > m || Number.isNaN(d[i]!)) m = d[i]!;
  return m;
});
