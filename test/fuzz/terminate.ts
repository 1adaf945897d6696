/** Stops snarkjs's and the commitment engine's worker threads (they keep Node alive). */
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { terminateCurve } from "../../backends/math/commit/curve.js";

export async function terminateWorkers(): Promise<void> {
  await terminateSnarkjs();
  await terminateCurve();
}
