/**
 * The worker threads of snarkjs (Groth16) and of ffjavascript's MSM (Hyrax commitments) keep Node
 * alive after the work is done; the CLI stops them on exit, library users call this.
 */
import { terminateSnarkjs } from "../backends/groth16/keys.js";
import { terminateCurve } from "../backends/math/commit/curve.js";

/** Stops the worker threads of snarkjs and of the commitment engine, so the process can exit. Later calls start them again. */
export async function terminateWorkers(): Promise<void> {
  await terminateCurve();
  await terminateSnarkjs();
}
