/**
 * GKR backend core: kernel proofs over the regular primitives, the layer plug-in interface, batch
 * proving. See docs/gkr.md. (Non-linear layers: `./nonlinear/index.js`, imported separately.)
 */
export {
  claimOnPublic,
  kernelInputs,
  kernelOf,
  proveKernel,
  registerKernelHook,
  registerLayer,
  registeredOps,
  verifyKernel,
  type Kernel,
  type KernelHook,
  type KernelProof,
  type KernelTensor,
  type KernelVerdict,
  type LayerContext,
  type LayerPlugin,
  type LayerProver,
  type LayerProverContext,
  type LayerStep,
  type LayerVerdict,
  type LayerVerifier,
  type LayerVerifierContext,
  type PrimOf,
  type ProveKernelOptions,
} from "./kernel.js";
export { batchKernel, batchValues, broadcastName, proveKernelBatch, verifyKernelBatch } from "./batch.js";
export { proveCombine, verifyCombine } from "../math/claims.js";
export { prepareMap, proveIndexMap, verifyIndexMap, type IndexMap } from "./indexmap.js";
export { proveRelayout, verifyRelayout } from "./relayout.js";
export {
  HALF,
  canonicalLayout,
  cachedIntegerTable,
  indicatorMle,
  integerTable,
  numVarsOfShape,
  paddedPositions,
  sameLayout,
  sizeOfShape,
} from "../math/layout.js";
export { GKR_LABELS, countFieldElements, isClaim, isField, isFieldArray, isRecord, type Claim } from "./messages.js";
export type * from "./messages.js";
