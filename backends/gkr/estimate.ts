/**
 * The GKR backend's cost model: work in units whose prices are machine constants.
 * - `fieldNs` per unit of sumcheck work (a table entry of a degree-2 sumcheck: matmul pays
 *   |A| + |B| + |C| per batch, element-wise layers a few passes over the padded output, gathers
 *   output + sources);
 * - `commitNs` per committed witness element of the non-linear layers (Hyrax MSM work: each value
 *   is split into 16-bit limbs, plus logUp multiplicities);
 * - `gkrKernelMs` fixed per kernel, `gkrBaseBytes` of process memory.
 */
import type { KernelSpec } from "../../compiler/plan/backend.js";
import { costConstant, rangeCheckBits, type CostConstants, type CostEstimate } from "../../compiler/plan/cost.js";
import { numVarsOfShape } from "../math/layout.js";

/**
 * Shipped defaults, measured on the reference machine (2 cores, Node 20, shared; load ~6):
 * `zkc calibrate-costs` gave fieldNs 424–552, commitNs 19.6k–20.6k; a small GKR kernel takes
 * 0.1–0.25 s with its share of the commitments in `prove()`'s per-kernel stats, hence 150 ms.
 */
export const GKR_COST_DEFAULTS = { fieldNs: 480, commitNs: 20000, gkrKernelMs: 150, gkrBaseBytes: 120e6 } as const;

/** Features of a kernel the GKR formulas use. */
export interface GkrFeatures {
  /** sumcheck work units */
  sumcheckWork: number;
  /** committed witness elements of non-linear layers */
  committed: number;
  /** largest padded table the prover holds at once */
  largestTable: number;
  /** sum over primitives of their output's MLE variables (proof size driver) */
  layerVars: number;
}

const pad = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const bits = (x: number): number => Math.max(1, Math.ceil(Math.log2(x + 1)));
/** 16-bit limbs of a range-checked value, as the non-linear layers commit them */
const limbs = (b: number): number => Math.max(1, Math.ceil(b / 16));

/** The GKR features of a kernel. */
export function gkrFeatures(kernel: Pick<KernelSpec, "prims" | "tensors">): GkrFeatures {
  const info = (t: string) => kernel.tensors.get(t)!;
  const size = (t: string) => sizeOf(info(t).shape);
  let sumcheckWork = 0;
  let committed = 0;
  let largestTable = 1;
  let layerVars = 0;
  for (const p of kernel.prims) {
    const n = pad(size(p.out));
    largestTable = Math.max(largestTable, n);
    layerVars += numVarsOfShape(info(p.out).shape);
    switch (p.op) {
      case "matmul":
        sumcheckWork += 4 * p.batch * (pad(p.m) * pad(p.k) + pad(p.k) * pad(p.n) + pad(p.m) * pad(p.n));
        largestTable = Math.max(largestTable, p.batch * pad(p.m) * pad(p.k), pad(p.k) * pad(p.n));
        break;
      case "add":
      case "sub":
      case "scale":
        sumcheckWork += 2 * n;
        break;
      case "mul":
        sumcheckWork += 6 * n;
        break;
      case "gather":
        sumcheckWork += 3 * (n + p.sources.reduce((s, t) => s + pad(size(t)), 0));
        break;
      case "reduceSum":
        sumcheckWork += 2 * pad(size(p.in));
        break;
      case "rescale":
      case "clamp":
      case "max":
      case "divide":
      case "lookup": {
        const b = rangeCheckBits(p, (t) => info(t).maxAbs);
        const l = p.op === "rescale" ? limbs(p.shift) + limbs(b) : p.op === "lookup" ? 2 : 2 * limbs(b);
        committed += n * l;
        sumcheckWork += 12 * n * l;
        break;
      }
      case "argmax":
        break; // no GKR layer: `supports` refuses the kernel
    }
  }
  return { sumcheckWork, committed, largestTable, layerVars };
}

/** GKR estimate from features. */
export function gkrEstimateOf(f: GkrFeatures, c: CostConstants): CostEstimate {
  const k = (name: keyof typeof GKR_COST_DEFAULTS) => costConstant(c, GKR_COST_DEFAULTS, name);
  const proveSeconds = (f.sumcheckWork * k("fieldNs") + f.committed * k("commitNs")) * 1e-9 + k("gkrKernelMs") * 1e-3;
  // tables of 32-byte elements: a few live at once per layer, plus committed witness and its Hyrax state
  const memoryBytes = k("gkrBaseBytes") + 32 * (6 * f.largestTable + 3 * f.committed);
  // per layer: sumcheck rounds of ~4 elements per variable and a few evaluations; Hyrax rows of 32 bytes (compressed)
  const proofBytes = 32 * (4 * f.layerVars + 8 * Math.max(1, f.layerVars / 4)) + 32 * Math.sqrt(Math.max(1, f.committed)) * 2;
  return { proveSeconds, memoryBytes, proofBytes: Math.round(proofBytes) };
}
