/**
 * The Groth16 backend behind the contract (backends/contract.ts), through snarkjs: small or
 * irregular kernels as linked circuits (statement.ts: the boundary is Poseidon-committed and the
 * claim points and values are public signals), commit kernels of hashed inputs and outputs, and
 * whole-model mode (the program as one circuit whose statement is its public I/O). Node only
 * (key setup uses the file cache); the verifying half is `verifier.ts`.
 */
import { ZkcError } from "../../compiler/errors.js";
import type { KernelSpec } from "../../compiler/plan/backend.js";
import { formatBytes, formatSeconds } from "../../compiler/plan/cost.js";
import type { QProgram } from "../../compiler/quant/prim.js";
import type { Backend, ProofSection, ProverContext } from "../contract.js";
import { proveCombine, type Claim } from "../math/claims.js";
import { Fr } from "../math/field.js";
import { integerTable, numVarsOfShape } from "../math/layout.js";
import { evaluateMle } from "../math/mle.js";
import { poseidonCommitTensor } from "../math/poseidon.js";
import { compileGroth16Kernel } from "./codegen.js";
import { buildWholeModelCircuit, countWholeModel, type WholeModelCircuit } from "./codegen/whole-model.js";
import { GROTH16_COST_DEFAULTS, groth16Constraints, groth16EstimateOf } from "./estimate.js";
import { sha256Hex, writeR1cs } from "./formats.js";
import { exportSolidityVerifier, setupGroth16, type Groth16Keys } from "./keys.js";
import { proveGroth16 } from "./prove.js";
import { R1csBuilder } from "./r1cs.js";
import { groth16SignalCount, groth16StatementSignals, kernelBinding, type Groth16KernelCircuit } from "./statement.js";
import { GROTH16_LABELS, groth16ProofBytes, groth16Verifier, wholeModelSignals, type Groth16Artifacts, type Groth16Section } from "./verifier.js";

/** Most constraints a Groth16 circuit may have (2^20 is the largest development ptau). */
export const MAX_GROTH16_CONSTRAINTS = 2 ** 20 - 64;

/** Per-kernel work of zkc around a snarkjs proof (circuit build, witness, key digest), in ms. */
const GROTH16_HARNESS_MS = 1100;

/** The kernel as a program (whole-model mode compiles a program). */
const programOf = (k: KernelSpec): QProgram => ({
  tensors: new Map(k.tensors),
  prims: [...k.prims],
  inputs: [...k.inputs],
  outputs: [...k.outputs],
  ...(k.origins ? { origins: [...k.origins] } : {}),
});

const circuits = new WeakMap<KernelSpec, Groth16KernelCircuit>();
const wholeCircuits = new WeakMap<KernelSpec, WholeModelCircuit>();

function linkedCircuit(k: KernelSpec): Groth16KernelCircuit {
  let c = circuits.get(k);
  if (!c) {
    c = compileGroth16Kernel(k);
    circuits.set(k, c);
  }
  return c;
}

function wholeCircuit(k: KernelSpec): WholeModelCircuit {
  let c = wholeCircuits.get(k);
  if (!c) {
    c = buildWholeModelCircuit(programOf(k), { rangeCheckInputs: true, binding: kernelBinding(k) });
    wholeCircuits.set(k, c);
  }
  return c;
}

const fieldsOf = (values: ArrayLike<number>): bigint[] => Array.from(values, (v) => Fr.fromSigned(v));

function tooBig(constraints: string, publicSignals: number): never {
  throw new ZkcError("USAGE", `the model as one Groth16 circuit has ${constraints} constraints, beyond the largest supported circuit (${MAX_GROTH16_CONSTRAINTS})`, {
    node: "whole-model",
    expected: `at most ${MAX_GROTH16_CONSTRAINTS} constraints plus public signals`,
    got: `${constraints} constraints, ${publicSignals} public signals`,
    hint: "compile with --backend auto, which splits the model into kernels and proves the large ones with GKR",
  });
}

async function setup(r1cs: Parameters<typeof setupGroth16>[0], kernel: KernelSpec, opts: { cacheDir?: string; ptau?: string; insecureDevSetup?: boolean }): Promise<Groth16Keys> {
  try {
    return await setupGroth16(r1cs, {
      ...(opts.ptau ? { ptauPath: opts.ptau } : {}),
      ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
      ...(opts.insecureDevSetup ? { insecureSeededSetup: true } : {}),
    });
  } catch (err) {
    throw err instanceof ZkcError ? err.withDetails({ node: kernel.name }) : err;
  }
}

/** Manifest section and side files of a kernel's keys. */
function keyFiles(kernel: KernelSpec, keys: Groth16Keys, r1csDigest: string, nConstraints: number, nPublic: number): { artifacts: Groth16Artifacts; files: Map<string, Uint8Array> } {
  const safe = kernel.name.replace(/[^A-Za-z0-9_.-]/g, "_");
  const vkeyBytes = new TextEncoder().encode(JSON.stringify(keys.vkey));
  const zkeyFile = `groth16/${safe}.zkey`;
  const vkeyFile = `groth16/${safe}.vkey.json`;
  return {
    artifacts: { vkeyFile, vkeyDigest: sha256Hex(vkeyBytes), zkeyFile, zkeyDigest: sha256Hex(keys.zkey), r1csDigest, nConstraints, nPublic },
    files: new Map([
      [zkeyFile, keys.zkey],
      [vkeyFile, vkeyBytes],
    ]),
  };
}

async function provingKey(ctx: ProverContext, kernel: KernelSpec, a: Groth16Artifacts): Promise<Uint8Array> {
  let zkey: Uint8Array;
  try {
    zkey = await ctx.files(a.zkeyFile);
  } catch (e) {
    throw new ZkcError("MODEL_FORMAT", `cannot read the proving key of kernel ${kernel.name}: ${(e as Error).message}`, { file: a.zkeyFile, hint: "keep the artifacts directory written by zkc compile together" });
  }
  if (sha256Hex(zkey) !== a.zkeyDigest) {
    throw new ZkcError("MODEL_FORMAT", `the proving key of kernel ${kernel.name} does not match the manifest (sha256 differs)`, { file: a.zkeyFile, hint: "the file was changed after compilation; compile the model again" });
  }
  return zkey;
}

async function proveLinked(kernel: KernelSpec, a: Groth16Artifacts, claims: ReadonlyMap<string, readonly Claim[]>, ctx: ProverContext): Promise<{ section: Groth16Section; inputClaims: Claim[] }> {
  const { transcript } = ctx;
  const shapeOf = (t: string) => kernel.tensors.get(t)!.shape;
  // one claim per boundary tensor: the claims waiting on it combined, or a fresh point and its value
  const settle = (t: string, waiting: readonly Claim[], pointLabel: string, valueLabel: string): { sent: { combine?: unknown; value?: bigint }; claim: Claim } => {
    const table = integerTable(ctx.valueOf(t), shapeOf(t));
    if (waiting.length > 0) {
      const r = proveCombine(waiting, table, transcript);
      return { sent: r.proof ? { combine: r.proof } : {}, claim: r.claim };
    }
    const point = transcript.challenges(pointLabel, numVarsOfShape(shapeOf(t)));
    const value = evaluateMle(table, point);
    transcript.absorbField(valueLabel, value);
    return { sent: { value }, claim: { tensor: t, point, value } };
  };
  const outs = kernel.outputs.map((o) => settle(o, claims.get(o) ?? [], GROTH16_LABELS.outPoint, GROTH16_LABELS.outValue));
  const ins = kernel.inputs.map((t) => settle(t, kernel.kind === "hash-input" ? (claims.get(t) ?? []) : [], GROTH16_LABELS.inPoint, GROTH16_LABELS.inValue));
  const circuit = linkedCircuit(kernel);
  const built = circuit.build({
    values: new Map(kernel.inputs.map((t) => [t, ctx.valueOf(t)] as const)),
    inputPoints: ins.map((x) => x.claim.point),
    outputPoints: outs.map((x) => x.claim.point),
  });
  const zkey = await provingKey(ctx, kernel, a);
  const { proof, publicSignals } = await proveGroth16(built.r1cs, built.witness, { zkey, r1csDigest: a.r1csDigest });
  // the circuit computed the commitments and claim values itself: they must be the statement's
  const commit = (t: string) => poseidonCommitTensor(fieldsOf(ctx.valueOf(t)));
  const expected = groth16StatementSignals({
    inputCommitments: kernel.inputs.map(commit),
    outputCommitments: kernel.outputs.map(commit),
    outputClaims: outs.map((x) => x.claim),
    inputClaims: ins.map((x) => x.claim),
    binding: kernelBinding(kernel),
  }).map(String);
  if (expected.length !== publicSignals.length || expected.some((s, j) => s !== publicSignals[j])) {
    throw new ZkcError("INTERNAL", `internal error: kernel ${kernel.name}: the circuit's public signals differ from the statement`);
  }
  transcript.absorbBytes(GROTH16_LABELS.proof, groth16ProofBytes(proof));
  return {
    section: { outputClaims: outs.map((x) => x.sent), inputClaims: ins.map((x) => x.sent), groth16: { pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c }, publicSignals },
    // a hashed input is bound by its published hash: its claims end here
    inputClaims: kernel.kind === "hash-input" ? [] : ins.map((x) => x.claim),
  };
}

async function proveWhole(kernel: KernelSpec, a: Groth16Artifacts, ctx: ProverContext): Promise<Groth16Section> {
  const circuit = wholeCircuit(kernel);
  const inputs = new Map(kernel.inputs.map((t) => [t, ctx.valueOf(t)] as const));
  const w = circuit.witness(inputs);
  const zkey = await provingKey(ctx, kernel, a);
  const { proof, publicSignals } = await proveGroth16(circuit.r1cs, w.witness, { zkey, r1csDigest: a.r1csDigest });
  const honest = wholeModelSignals(kernel, inputs, w.outputs).map(String);
  if (honest.length !== publicSignals.length || honest.some((s, j) => s !== publicSignals[j])) {
    throw new ZkcError("INTERNAL", `internal error: kernel ${kernel.name}: the circuit's public signals are not the outputs and inputs in layout order`);
  }
  return { outputClaims: [], inputClaims: [], groth16: { pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c }, publicSignals };
}

/** Two snarkjs proofs of a multiplication chain: seconds of the second (the first warms up). */
async function chainSeconds(n: number, cacheDir?: string): Promise<number> {
  const b = new R1csBuilder();
  let x = b.privateInputs([3n], "x")[0]!;
  for (let i = 0; i < n; i++) x = b.mul(x, x, "sq");
  b.output(x, "y");
  const c = b.build();
  const keys = await setupGroth16(c.r1cs, cacheDir ? { cacheDir } : {});
  await proveGroth16(c.r1cs, c.witness, keys);
  const t0 = performance.now();
  await proveGroth16(c.r1cs, c.witness, keys, { checkWitness: false });
  return (performance.now() - t0) / 1000;
}

/** The Groth16 backend. */

/** What a kernel's Solidity verifier checks, in plain words (docs/trust.md, export-verifier). */
export function solidityScope(kernel: Pick<KernelSpec, "name" | "kind">): string {
  if (kernel.kind === "whole-model") {
    return "checks the WHOLE MODEL's statement: its public signals are the model's output integers, then its input integers, then a binding of the circuit to the compiled program and weights. A proof it accepts proves that these outputs are what the model computes on these inputs (against keys you trust: docs/trust.md).";
  }
  const what = kernel.kind === "prims" ? "one kernel's sub-statement" : "one commit kernel's sub-statement (a hashed model input or output)";
  return `checks ${what} only (kernel ${kernel.name}), NOT the whole model: its public signals are Poseidon commitments of the kernel's boundary tensors and claim points and values drawn from the zkc proof's Fiat-Shamir transcript. The other kernels' proofs (GKR) and the transcript that links them are checked only by zkc verify / verifier.js, so this contract alone proves nothing about the model's output. For an on-chain check of a whole small model, compile with --backend groth16.`;
}

/** The snarkjs contract with a comment block saying what it checks, after the SPDX line (which stays first). */
function withStatementHeader(sol: string, kernel: Pick<KernelSpec, "name" | "kind">): string {
  const words = solidityScope(kernel).split(" ");
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && line.length + w.length > 92) (lines.push(line), (line = ""));
    line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  const block = ["/*", ` * zkc Groth16 verifier for kernel "${kernel.name}" (${kernel.kind}).`, " *", ...lines.map((l) => ` * ${l}`), " *", " * Generated from snarkjs's template: GPL-3.0 (the licence line above is snarkjs's).", " */", ""].join("\n");
  const nl = sol.indexOf("\n");
  return sol.startsWith("// SPDX-License-Identifier") ? `${sol.slice(0, nl + 1)}${block}${sol.slice(nl + 1)}` : `${block}${sol}`;
}

export const groth16Backend: Backend<Groth16Artifacts> = {
  ...groth16Verifier,
  summary: "Groth16 through snarkjs (small, irregular work); forced, the whole model as one circuit (small models)",
  costDefaults: GROTH16_COST_DEFAULTS,
  supports(kernel) {
    const constraints = groth16Constraints(kernel);
    if (kernel.kind === "whole-model") {
      // counting builds every constraint in memory: a model far beyond the limit by this rough
      // estimate (2x margin) is refused before that; build() counts exactly
      return constraints > 2 * MAX_GROTH16_CONSTRAINTS
        ? { ok: false, reason: `the model as one Groth16 circuit has ~${constraints} (estimated) constraints, beyond the largest supported circuit (${MAX_GROTH16_CONSTRAINTS})` }
        : { ok: true };
    }
    return constraints > MAX_GROTH16_CONSTRAINTS ? { ok: false, reason: `~${constraints} constraints exceed the largest supported circuit (${MAX_GROTH16_CONSTRAINTS})` } : { ok: true };
  },
  estimate(kernel, costs) {
    const nPublic = kernel.kind === "whole-model" ? 1 + [...kernel.inputs, ...kernel.outputs].reduce((s, t) => s + kernel.tensors.get(t)!.shape.reduce((a, b) => a * b, 1), 0) : groth16SignalCount(kernel);
    return groth16EstimateOf(groth16Constraints(kernel), nPublic, costs);
  },
  async calibrate(opts): Promise<Record<string, number>> {
    if (!opts.thorough) return {};
    const small = await chainSeconds(500, opts.cacheDir);
    const large = await chainSeconds(2000, opts.cacheDir);
    const groth16Ns = Math.max(1, ((large - small) / 1500) * 1e9);
    // snarkjs's own intercept plus what zkc adds per kernel around it (see GROTH16_COST_DEFAULTS)
    const groth16ProveMs = Math.max(1, (small - (500 * groth16Ns) / 1e9) * 1000) + GROTH16_HARNESS_MS;
    return { groth16Ns, groth16ProveMs };
  },
  async build(kernel, opts) {
    opts.onProgress?.(`groth16 setup ${kernel.name}`, 0, 1);
    if (kernel.kind === "whole-model") {
      const program = programOf(kernel);
      const count = countWholeModel(program, { rangeCheckInputs: true, binding: 0n });
      if (count.constraints + count.publicSignals > MAX_GROTH16_CONSTRAINTS) tooBig(String(count.constraints), count.publicSignals);
      const circuit = wholeCircuit(kernel);
      const keys = await setup(circuit.r1cs, kernel, opts);
      const { constraints, publicSignals } = circuit.stats;
      const estimate = groth16EstimateOf(constraints, publicSignals, opts.costs);
      return {
        ...keyFiles(kernel, keys, circuit.digest, constraints, publicSignals),
        estimate,
        note: `one R1CS of ${constraints} constraints, ${publicSignals} public signals (est. ${formatSeconds(estimate.proveSeconds)}, ${formatBytes(estimate.memoryBytes)})`,
        insecureSetup: keys.development,
      };
    }
    const circuit = linkedCircuit(kernel);
    const built = circuit.build();
    const keys = await setup(built.r1cs, kernel, opts);
    return {
      ...keyFiles(kernel, keys, sha256Hex(writeR1cs(built.r1cs)), circuit.nConstraints, circuit.nPublic),
      // the exact circuit size replaces the planner's estimate
      estimate: groth16EstimateOf(circuit.nConstraints, circuit.nPublic, opts.costs),
      insecureSetup: keys.development,
    };
  },
  proverFiles: (a) => [a.zkeyFile],
  async prove(kernel, a, claims, ctx) {
    if (kernel.kind === "whole-model") return { section: (await proveWhole(kernel, a, ctx)) as unknown as ProofSection, inputClaims: [] };
    const r = await proveLinked(kernel, a, claims, ctx);
    return { section: r.section as unknown as ProofSection, inputClaims: r.inputClaims };
  },
  encode: (section) => {
    const s = section as unknown as Groth16Section;
    return { outputClaims: s.outputClaims, inputClaims: s.inputClaims, groth16: s.groth16, publicSignals: s.publicSignals };
  },
  async exportVerifiers(kernel, a, files) {
    const sol = await exportSolidityVerifier({ zkey: await files(a.zkeyFile) });
    return new Map([[`solidity/${kernel.name}.sol`, withStatementHeader(sol, kernel)]]);
  },
};
