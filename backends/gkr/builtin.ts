/**
 * The built-in layers (the regular primitives), registered by `kernel.ts` when it loads. Non-linear
 * primitives come from plug-ins (`backends/gkr/nonlinear/`).
 */
import type { LayerPlugin } from "./kernel.js";
import { gatherProver, gatherVerifier } from "./gather.js";
import { linearProver, linearVerifier } from "./linear.js";
import { matmulProver, matmulVerifier } from "./matmul.js";
import { mulProver, mulVerifier } from "./mul.js";
import { reduceSumProver, reduceSumVerifier } from "./reduce-sum.js";

/** One plug-in per regular primitive op. */
export const BUILTIN_LAYERS: readonly LayerPlugin[] = [
  { op: "matmul", prover: matmulProver, verifier: matmulVerifier },
  { op: "mul", prover: mulProver, verifier: mulVerifier },
  { op: "add", prover: linearProver, verifier: linearVerifier },
  { op: "sub", prover: linearProver, verifier: linearVerifier },
  { op: "scale", prover: linearProver, verifier: linearVerifier },
  { op: "gather", prover: gatherProver, verifier: gatherVerifier },
  { op: "reduceSum", prover: reduceSumProver, verifier: reduceSumVerifier },
] as unknown as readonly LayerPlugin[];


