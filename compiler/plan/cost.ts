/**
 * Cost model: estimated prover time, memory and proof size of a kernel on each backend.
 *
 * The formulas count work in units whose prices are machine constants:
 * - GKR: `fieldNs` per unit of sumcheck work (a table entry of a degree-2 sumcheck: matmul pays
 *   |A| + |B| + |C| per batch, element-wise layers a few passes over the padded output, gathers
 *   output + sources), `commitNs` per committed witness element of the non-linear layers (Hyrax
 *   MSM work: each value is split into 16-bit limbs, plus logUp multiplicities), and `gkrKernelMs`
 *   fixed per kernel.
 * - Groth16: constraints (exact from the code generator when the planner has the circuit, else the
 *   per-primitive estimate below) times `groth16Ns`, plus `groth16ProveMs` fixed (snarkjs start-up);
 *   memory `groth16BaseBytes` + `groth16BytesPerConstraint` per constraint.
 *
 * `calibrateCosts()` measures the constants on this machine with small benchmarks (a sumcheck, a
 * Hyrax commitment and, when a development ptau is cached, a Groth16 proof) and stores them as JSON
 * in the user cache directory; `loadCostModel()` reads them back, or returns `DEFAULT_COSTS`.
 */
import type { Prim, QProgram } from "../quant/prim.js";
import { mleVarsOfShape } from "./groth16-kernel.js";

/** Machine constants of the cost model. */
export interface CostConstants {
  /** where the numbers come from: "defaults" or "measured <ISO date>" */
  source: string;
  fieldNs: number;
  commitNs: number;
  gkrKernelMs: number;
  groth16Ns: number;
  groth16ProveMs: number;
  groth16BaseBytes: number;
  groth16BytesPerConstraint: number;
  gkrBaseBytes: number;
}

/**
 * Shipped defaults, measured on the reference machine (2 cores, Node 20, shared; load ~6):
 * `calibrateCosts()` gave fieldNs 424–552, commitNs 19.6k–20.6k. Groth16 from the measured
 * toolchain facts at scale (2^16 constraints prove in 8.5 s with 643 MB peak RSS, 2^10 in 0.33 s
 * with 243 MB): the small chains `calibrateCosts({groth16: true})` proves give a higher per-constraint
 * slope (~260–300 µs) because fixed FFT and MSM set-up dominates there. Fixed costs per kernel from
 * `prove()`'s per-kernel stats on the tiny classifier and mlp (load ~7): a small GKR kernel takes
 * 0.1–0.25 s with its share of the commitments, a small Groth16 kernel 1.5–1.9 s (circuit build
 * and witness, key read and digest, snarkjs start-up), hence gkrKernelMs 150 and groth16ProveMs 1200.
 */
export const DEFAULT_COSTS: CostConstants = {
  source: "defaults",
  fieldNs: 480,
  commitNs: 20000,
  gkrKernelMs: 150,
  groth16Ns: 130_000,
  groth16ProveMs: 1200,
  groth16BaseBytes: 240e6,
  groth16BytesPerConstraint: 6200,
  gkrBaseBytes: 120e6,
};

/** Estimate of one kernel on one backend. */
export interface CostEstimate {
  proveSeconds: number;
  memoryBytes: number;
  proofBytes: number;
}

/** Features of a kernel the formulas use. */
export interface KernelFeatures {
  /** GKR sumcheck work units */
  sumcheckWork: number;
  /** committed witness elements of non-linear layers */
  committed: number;
  /** largest padded table the GKR prover holds at once */
  largestTable: number;
  /** sum over primitives of their output's MLE variables (proof size driver) */
  layerVars: number;
  /** estimated Groth16 constraints */
  constraints: number;
  /** elements of the kernel's input and output tensors (Poseidon commitments, MLE claims) */
  boundaryElements: number;
  boundaryVars: number[];
}

const pad = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const bits = (x: number): number => Math.max(1, Math.ceil(Math.log2(x + 1)));
/** 16-bit limbs of a range-checked value, as the non-linear layers commit them */
const limbs = (b: number): number => Math.max(1, Math.ceil(b / 16));

/** Poseidon constraints per committed element (693 per 15-element chunk) */
const POSEIDON_PER_ELEMENT = 47;

/**
 * Features of the primitives [from, to) of a program with the given boundary tensors.
 */
export function kernelFeatures(program: QProgram, prims: readonly Prim[], boundary: readonly string[]): KernelFeatures {
  const shape = (t: string) => program.tensors.get(t)!.shape;
  const size = (t: string) => sizeOf(shape(t));
  const bound = (t: string) => program.tensors.get(t)!.maxAbs;
  let sumcheckWork = 0;
  let committed = 0;
  let largestTable = 1;
  let layerVars = 0;
  let constraints = 0;
  for (const p of prims) {
    const n = pad(size(p.out));
    largestTable = Math.max(largestTable, n);
    layerVars += mleVarsOfShape(shape(p.out));
    switch (p.op) {
      case "matmul": {
        const work = p.batch * (pad(p.m) * pad(p.k) + (p.bBatch === 1 ? 1 : 1) * pad(p.k) * pad(p.n) + pad(p.m) * pad(p.n));
        sumcheckWork += 4 * work;
        largestTable = Math.max(largestTable, p.batch * pad(p.m) * pad(p.k), pad(p.k) * pad(p.n));
        const bIsParam = program.tensors.get(p.b)?.kind === "param";
        const aIsParam = program.tensors.get(p.a)?.kind === "param";
        // a product with a constant operand is linear (free in R1CS); two private operands pay per term
        if (!bIsParam && !aIsParam) constraints += p.batch * p.m * p.k * p.n;
        break;
      }
      case "add":
      case "sub":
      case "scale":
        sumcheckWork += 2 * n;
        break;
      case "mul":
        sumcheckWork += 6 * n;
        constraints += size(p.out);
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
        const inName = p.op === "max" ? p.a : p.op === "divide" ? p.num : p.in;
        const b = bits(Math.max(bound(inName), bound(p.out))) + 1;
        const l = p.op === "rescale" ? limbs(p.shift) + limbs(b) : p.op === "lookup" ? 2 : 2 * limbs(b);
        committed += n * l;
        sumcheckWork += 12 * n * l;
        constraints += size(p.out) * (p.op === "lookup" ? 8 : p.op === "rescale" ? p.shift + b : 2 * b + 2);
        break;
      }
      case "argmax": {
        const b = bits(bound(p.in)) + 1;
        constraints += p.outer * p.inner * p.reduce * (b + 4);
        // no GKR layer: the figure is only used if one is registered later
        committed += pad(size(p.in)) * limbs(b);
        sumcheckWork += 12 * pad(size(p.in));
        break;
      }
    }
  }
  const boundaryElements = boundary.reduce((s, t) => s + size(t), 0);
  const boundaryVars = boundary.map((t) => mleVarsOfShape(shape(t)));
  constraints += boundaryElements * POSEIDON_PER_ELEMENT + boundary.reduce((s, t) => s + 2 ** mleVarsOfShape(shape(t)), 0);
  return { sumcheckWork, committed, largestTable, layerVars, constraints, boundaryElements, boundaryVars };
}

/** GKR estimate from features. */
export function gkrEstimate(f: KernelFeatures, c: CostConstants): CostEstimate {
  const proveSeconds = (f.sumcheckWork * c.fieldNs + f.committed * c.commitNs) * 1e-9 + c.gkrKernelMs * 1e-3;
  // tables of 32-byte elements: a few live at once per layer, plus committed witness and its Hyrax state
  const memoryBytes = c.gkrBaseBytes + 32 * (6 * f.largestTable + 3 * f.committed);
  // per layer: sumcheck rounds of ~4 elements per variable and a few evaluations; Hyrax rows of 64 bytes
  const proofBytes = 32 * (4 * f.layerVars + 8 * Math.max(1, f.layerVars / 4)) + 64 * Math.sqrt(Math.max(1, f.committed)) * 2;
  return { proveSeconds, memoryBytes, proofBytes: Math.round(proofBytes) };
}

/** Groth16 estimate for a circuit of `constraints` constraints with `nPublic` public signals. */
export function groth16Estimate(constraints: number, nPublic: number, c: CostConstants): CostEstimate {
  return {
    proveSeconds: constraints * c.groth16Ns * 1e-9 + c.groth16ProveMs * 1e-3,
    memoryBytes: c.groth16BaseBytes + constraints * c.groth16BytesPerConstraint,
    // three curve points as snarkjs JSON (~700 bytes) plus the decimal public signals
    proofBytes: 700 + 78 * nPublic,
  };
}

/** Human size, e.g. "1.2 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(0)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/** Human duration, e.g. "0.42 s". */
export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(0)} s`;
}

/** Check a parsed cost file; undefined when it is not a valid CostConstants. */
export function parseCostConstants(x: unknown): CostConstants | undefined {
  if (typeof x !== "object" || x === null) return undefined;
  const o = x as Record<string, unknown>;
  const keys: (keyof CostConstants)[] = ["fieldNs", "commitNs", "gkrKernelMs", "groth16Ns", "groth16ProveMs", "groth16BaseBytes", "groth16BytesPerConstraint", "gkrBaseBytes"];
  if (typeof o.source !== "string" || !keys.every((k) => typeof o[k] === "number" && Number.isFinite(o[k]) && (o[k] as number) > 0)) return undefined;
  return { ...(o as unknown as CostConstants) };
}
