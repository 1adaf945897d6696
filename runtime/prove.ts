/**
 * The prover scheduler: one proof bundle for one input (docs/linking.md has the protocol).
 *
 * 1. Load the compiled model (manifest + side files, digests checked), quantise the inputs, run
 *    the integer program (every tensor's exact integers).
 * 2. Open the bundle transcript: manifest digest, public inputs and outputs (or their Poseidon
 *    hashes), the Poseidon commitments of every tensor crossing a Groth16 kernel, then every GKR
 *    kernel's non-linear witness commitments — all before the first challenge.
 * 3. Claims on the public outputs at points drawn from the transcript.
 * 4. Kernels in reverse order (claims flow backward): each takes the claims on its outputs and
 *    leaves claims on its inputs for their producers. Tensors no kernel still needs are dropped
 *    from the prover's map as the walk passes their first user.
 *
 * Node only (Groth16 proving goes through snarkjs with the proving keys); the verifier is
 * `runtime/verify.ts`.
 */
import { ZkcError } from "../compiler/errors.js";
import "../backends/gkr/nonlinear/index.js";
import { proveKernel } from "../backends/gkr/kernel.js";
import { commitNonlinearWitness } from "../backends/gkr/nonlinear/index.js";
import { proveCombine } from "../backends/gkr/claims.js";
import { integerTable, numVarsOfShape } from "../backends/gkr/layout.js";
import type { Claim } from "../backends/gkr/messages.js";
import { evaluateMle } from "../backends/math/mle.js";
import { poseidonCommitTensor } from "../backends/groth16/poseidon.js";
import { proveGroth16 } from "../backends/groth16/prove.js";
import { compileGroth16Kernel } from "../backends/groth16/codegen.js";
import { buildWholeModelCircuit, type WholeModelCircuit } from "../backends/groth16/codegen/whole-model.js";
import { groth16StatementSignals, type Groth16KernelCircuit } from "../compiler/plan/groth16-kernel.js";
import { runProgram, dequantise } from "./witness.js";
import { quantiseCheckedInput, withWarnings } from "./input-range.js";
import { manifestDigest, readCheckedFile, type Manifest } from "./manifest.js";
import { PROOF_FORMAT, PROOF_VERSION, type BoundaryClaim, type KernelProofEntry, type ProofBundle, type ProofInput, type ProofOutput } from "./proof.js";
import {
  BUNDLE_LABELS,
  PendingClaims,
  absorbKernelName,
  fieldsOf,
  gkrKernel,
  groth16ProofBytes,
  loadLinkedModel,
  openTranscript,
  wholeModelSignals,
  type LinkedModel,
} from "./link/bundle.js";
import { toHex } from "./link/codec.js";

/** Progress of one step of `prove`. */
export interface ProveProgress {
  phase: "witness" | "commit" | "kernel" | "done";
  /** kernel name for phase "kernel" */
  kernel?: string;
  backend?: "gkr" | "groth16";
  done: number;
  total: number;
  /** seconds the step took */
  seconds?: number;
}

export interface ProveOptions {
  onProgress?: (p: ProveProgress) => void;
  /** saturate inputs outside the calibrated range at the bound (a warning goes into the proof) instead of refusing them */
  clamp?: boolean;
  /** soundness tests only: edit the values before anything is committed (a cheating prover) */
  tamperValues?: (values: Map<string, Float64Array>) => void;
}

/** Values of a hashed output: known to the prover's caller, not part of proof.json. */
export interface HashedOutputValues {
  name: string;
  onnxName: string;
  integers: number[];
  floats: number[];
}

/** Per-kernel timing, for reports and the benchmark. */
export interface ProveStats {
  kernels: { name: string; backend: "gkr" | "groth16"; seconds: number }[];
  commitSeconds: number;
  witnessSeconds: number;
  /** largest number of tensors held at once during the kernel walk */
  peakLiveTensors: number;
}

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now()) / 1000;

/** Floats of one model input, found by ONNX name or program name. */
function inputFloats(inputs: Record<string, ArrayLike<number>>, name: string, onnxName: string): ArrayLike<number> {
  const v = inputs[onnxName] ?? inputs[name];
  if (!v) {
    throw new ZkcError("INPUT", `no value for model input "${onnxName}"`, { hint: `pass every input by name: ${JSON.stringify(onnxName)}` });
  }
  return v;
}

/**
 * Prove one inference.
 * @param files reads a side file of the artifacts directory by its relative name
 * @param inputs float values of every model input, by ONNX input name, flat row-major
 * @throws ZkcError INPUT for missing or malformed inputs, MODEL_FORMAT for altered artifacts
 */
export async function prove(
  manifest: Manifest,
  files: (name: string) => Promise<Uint8Array>,
  inputs: Record<string, ArrayLike<number>>,
  opts: ProveOptions = {},
): Promise<ProofBundle & { stats: ProveStats; hashedOutputs: HashedOutputValues[] }> {
  const t0 = now();
  const model = await loadLinkedModel(manifest, files);
  const { program } = model;
  const q = manifest.quantisation;
  const quantised = new Map<string, Float64Array>();
  const warnings: string[] = [];
  for (const e of q.inputs) {
    const r = quantiseCheckedInput(program, e.name, inputFloats(inputs, e.name, e.onnxName), opts.clamp);
    quantised.set(e.name, r.values);
    if (r.warning) warnings.push(r.warning);
  }
  if (model.kernels[0]!.whole) return withWarnings(await proveWholeModelBundle(model, files, quantised, opts, t0), warnings);
  const values = runProgram(program, quantised);
  opts.tamperValues?.(values);
  const witnessSeconds = now() - t0;
  opts.onProgress?.({ phase: "witness", done: 1, total: 1, seconds: witnessSeconds });

  // public statement
  const proofInputs: ProofInput[] = q.inputs.map((e) => {
    const v = values.get(e.name)!;
    return e.visibility === "public" ? { name: e.name, visibility: "public", integers: Array.from(v) } : { name: e.name, visibility: "hashed", hash: poseidonCommitTensor(fieldsOf(v)) };
  });
  const proofOutputs: ProofOutput[] = q.outputs.map((e) => {
    const v = values.get(e.name)!;
    const base = { name: e.name, onnxName: e.onnxName, shape: [...e.shape] };
    return e.visibility === "public"
      ? { ...base, visibility: "public", integers: Array.from(v), floats: Array.from(dequantise(v, e.scale)) }
      : { ...base, visibility: "hashed", hash: poseidonCommitTensor(fieldsOf(v)) };
  });
  const hashedOutputs: HashedOutputValues[] = q.outputs
    .filter((e) => e.visibility === "hashed")
    .map((e) => ({ name: e.name, onnxName: e.onnxName, integers: Array.from(values.get(e.name)!), floats: Array.from(dequantise(values.get(e.name)!, e.scale)) }));
  const ioMap = (list: (ProofInput | ProofOutput)[]) => new Map(list.map((e) => [e.name, e] as const));
  const t1 = now();
  const commitments = manifest.committedTensors.map((name) => poseidonCommitTensor(fieldsOf(values.get(name)!)));
  const transcript = openTranscript(model, ioMap(proofInputs), ioMap(proofOutputs), commitments);

  const publicInputs = new Map(q.inputs.filter((e) => e.visibility === "public").map((e) => [e.name, values.get(e.name)!] as const));
  const gkrKernels = model.kernels.map((k) => (k.gkr ? gkrKernel(k, publicInputs) : undefined));
  const nonlinear = new Map<string, unknown>();
  for (const [i, k] of model.kernels.entries()) {
    const kernel = gkrKernels[i];
    if (!kernel) continue;
    nonlinear.set(k.entry.name, await commitNonlinearWitness(kernel, values, transcript));
  }
  const commitSeconds = now() - t1;
  opts.onProgress?.({ phase: "commit", done: 1, total: 1, seconds: commitSeconds });

  // claims on public outputs, at points drawn after everything above was absorbed
  const pending = new PendingClaims();
  for (const e of q.outputs) {
    if (e.visibility !== "public") continue;
    const shape = program.tensors.get(e.name)!.shape;
    const table = integerTable(values.get(e.name)!, shape);
    const point = transcript.challenges(`${BUNDLE_LABELS.outputPoint}/${e.name}`, numVarsOfShape(shape));
    pending.add({ tensor: e.name, point, value: evaluateMle(table, point) });
  }

  // the first kernel (in order) that touches each tensor: past it, the tensor can be dropped
  const firstUser = new Map<string, number>();
  model.kernels.forEach((k, i) => {
    for (const t of [...k.entry.inputs, ...k.entry.outputs, ...(k.gkr?.tensors.keys() ?? [])]) if (!firstUser.has(t)) firstUser.set(t, i);
  });
  const paramNames = new Set([...program.tensors.values()].filter((t) => t.kind === "param").map((t) => t.name));
  let peakLive = values.size;

  const kernelProofs: KernelProofEntry[] = new Array(model.kernels.length);
  const claims: BoundaryClaim[] = [];
  const stats: ProveStats["kernels"] = [];
  const total = model.kernels.length;
  for (let i = model.kernels.length - 1; i >= 0; i--) {
    const k = model.kernels[i]!;
    const started = now();
    absorbKernelName(transcript, i, k.entry.name);
    if (k.gkr) {
      const kernel = gkrKernels[i]!;
      const outClaims = k.entry.outputs.flatMap((o) => pending.take(o));
      const r = proveKernel(kernel, values, outClaims, transcript);
      for (const c of r.inputClaims) {
        if (!kernel.tensors.has(c.tensor)) throw new ZkcError("INTERNAL", `internal error: kernel ${k.entry.name} left a claim on auxiliary tensor "${c.tensor}" undischarged`);
        pending.add(c);
        claims.push({ kernel: k.entry.name, tensor: c.tensor, point: c.point, value: c.value });
      }
      kernelProofs[i] = { name: k.entry.name, backend: "gkr", commitments: nonlinear.get(k.entry.name), proof: r.proof };
    } else {
      kernelProofs[i] = await proveGroth16Kernel(model, i, values, pending, claims, transcript, files);
    }
    // drop tensors that no earlier kernel touches (params stay: they are the model's)
    for (const [t, at] of firstUser) if (at === i && !paramNames.has(t)) values.delete(t);
    peakLive = Math.max(peakLive, values.size);
    const seconds = now() - started;
    stats.push({ name: k.entry.name, backend: k.entry.backend, seconds });
    opts.onProgress?.({ phase: "kernel", kernel: k.entry.name, backend: k.entry.backend, done: total - i, total, seconds });
  }
  for (const [t] of pending.entries()) {
    const e = q.inputs.find((x) => x.name === t);
    if (!e || e.visibility !== "public") throw new ZkcError("INTERNAL", `internal error: claims on "${t}" were left undischarged`);
  }
  opts.onProgress?.({ phase: "done", done: total, total });
  return withWarnings({
    format: PROOF_FORMAT,
    version: PROOF_VERSION,
    manifestDigest: toHex(manifestDigest(manifest)),
    inputs: proofInputs,
    outputs: proofOutputs,
    commitments: manifest.committedTensors.map((tensor, i) => ({ tensor, value: commitments[i]! })),
    kernels: kernelProofs,
    claims,
    stats: { kernels: stats.reverse(), commitSeconds, witnessSeconds, peakLiveTensors: peakLive },
    hashedOutputs,
  }, warnings);
}

const circuitCache = new WeakMap<object, Groth16KernelCircuit>();

async function proveGroth16Kernel(
  model: LinkedModel,
  index: number,
  values: Map<string, Float64Array>,
  pending: PendingClaims,
  claims: BoundaryClaim[],
  transcript: ReturnType<typeof openTranscript>,
  files: (name: string) => Promise<Uint8Array>,
): Promise<KernelProofEntry> {
  const k = model.kernels[index]!;
  const spec = k.g16!;
  const entry = k.entry;
  const valueOf = (t: string): Float64Array => values.get(t) ?? model.program.tensors.get(t)?.values ?? (() => { throw new ZkcError("INTERNAL", `internal error: no value for "${t}"`); })();
  const shapeOf = (t: string) => model.program.tensors.get(t)!.shape;
  const outputClaims: { combine?: unknown; value?: bigint }[] = [];
  const outPoints: bigint[][] = [];
  const outValues: bigint[] = [];
  for (const o of spec.outputs) {
    const table = integerTable(valueOf(o), shapeOf(o));
    const cl = pending.take(o);
    if (cl.length > 0) {
      const r = proveCombine(cl, table, transcript);
      outputClaims.push(r.proof ? { combine: r.proof } : {});
      outPoints.push(r.claim.point);
      outValues.push(r.claim.value);
    } else {
      const point = transcript.challenges(BUNDLE_LABELS.g16OutPoint, numVarsOfShape(shapeOf(o)));
      const value = evaluateMle(table, point);
      transcript.absorbField(BUNDLE_LABELS.g16OutValue, value);
      outputClaims.push({ value });
      outPoints.push(point);
      outValues.push(value);
    }
  }
  const inputClaims: { combine?: unknown; value?: bigint }[] = [];
  const inPoints: bigint[][] = [];
  const inValues: bigint[] = [];
  for (const i of spec.inputs) {
    const table = integerTable(valueOf(i), shapeOf(i));
    const cl = entry.kind === "hash-input" ? pending.take(i) : [];
    let claim: Claim;
    if (cl.length > 0) {
      const r = proveCombine(cl, table, transcript);
      inputClaims.push(r.proof ? { combine: r.proof } : {});
      claim = r.claim;
    } else {
      const point = transcript.challenges(BUNDLE_LABELS.g16InPoint, numVarsOfShape(shapeOf(i)));
      const value = evaluateMle(table, point);
      transcript.absorbField(BUNDLE_LABELS.g16InValue, value);
      inputClaims.push({ value });
      claim = { tensor: i, point, value };
    }
    inPoints.push(claim.point);
    inValues.push(claim.value);
    // a hashed input is bound by its published hash: its claims end here
    if (entry.kind !== "hash-input") {
      pending.add(claim);
      claims.push({ kernel: entry.name, tensor: i, point: claim.point, value: claim.value });
    }
  }
  let circuit = circuitCache.get(spec);
  if (!circuit) {
    circuit = compileGroth16Kernel(spec);
    circuitCache.set(spec, circuit);
  }
  const assignment = { values: new Map(spec.inputs.map((t) => [t, valueOf(t)] as const)), inputPoints: inPoints, outputPoints: outPoints };
  const built = circuit.build(assignment);
  const keys = entry.groth16!;
  const zkey = await readCheckedFile(files, keys.zkeyFile, keys.zkeyDigest, `proving key of kernel ${entry.name}`);
  const { proof, publicSignals } = await proveGroth16(built.r1cs, built.witness, { zkey, r1csDigest: keys.r1csDigest });
  // the circuit computed the commitments and claim values itself: they must be the statement's
  const commit = (t: string) => poseidonCommitTensor(fieldsOf(valueOf(t)));
  const expected = groth16StatementSignals({
    inputCommitments: spec.inputs.map(commit),
    outputCommitments: spec.outputs.map(commit),
    outputClaims: outPoints.map((point, j) => ({ point, value: outValues[j]! })),
    inputClaims: inPoints.map((point, j) => ({ point, value: inValues[j]! })),
  }).map(String);
  if (expected.length !== publicSignals.length || expected.some((s, j) => s !== publicSignals[j])) {
    throw new ZkcError("INTERNAL", `internal error: kernel ${entry.name}: the circuit's public signals differ from the statement`);
  }
  transcript.absorbBytes(BUNDLE_LABELS.g16Proof, groth16ProofBytes(proof));
  return { name: entry.name, backend: "groth16", outputClaims, inputClaims: inputClaims, groth16: { pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c }, publicSignals } as unknown as KernelProofEntry;
}

const wholeCircuitCache = new WeakMap<object, WholeModelCircuit>();

/**
 * Whole-model mode: one Groth16 proof whose public signals are the output and input integers.
 * No transcript: the statement is the public signals, and the manifest digest in the bundle
 * (checked by the verifier) ties the proof to this manifest's keys.
 */
async function proveWholeModelBundle(
  model: LinkedModel,
  files: (name: string) => Promise<Uint8Array>,
  quantised: Map<string, Float64Array>,
  opts: ProveOptions,
  t0: number,
): Promise<ProofBundle & { stats: ProveStats; hashedOutputs: HashedOutputValues[] }> {
  const { manifest, program } = model;
  const q = manifest.quantisation;
  const entry = model.kernels[0]!.entry;
  let circuit = wholeCircuitCache.get(program);
  if (!circuit) {
    circuit = buildWholeModelCircuit(program, { rangeCheckInputs: true });
    wholeCircuitCache.set(program, circuit);
  }
  const w = circuit.witness(quantised);
  // the published statement: the circuit's own outputs (a tampering caller may edit them, the verifier must notice)
  const values = new Map<string, Float64Array>([...quantised, ...w.outputs]);
  opts.tamperValues?.(values);
  const witnessSeconds = now() - t0;
  opts.onProgress?.({ phase: "witness", done: 1, total: 1, seconds: witnessSeconds });
  const started = now();
  const keys = entry.groth16!;
  const zkey = await readCheckedFile(files, keys.zkeyFile, keys.zkeyDigest, `proving key of kernel ${entry.name}`);
  const { proof, publicSignals } = await proveGroth16(circuit.r1cs, w.witness, { zkey, r1csDigest: keys.r1csDigest });
  const honest = wholeModelSignals(manifest, quantised, w.outputs).map(String);
  if (honest.length !== publicSignals.length || honest.some((s, j) => s !== publicSignals[j])) {
    throw new ZkcError("INTERNAL", `internal error: kernel ${entry.name}: the circuit's public signals are not the outputs and inputs in layout order`);
  }
  const seconds = now() - started;
  opts.onProgress?.({ phase: "kernel", kernel: entry.name, backend: "groth16", done: 1, total: 1, seconds });
  opts.onProgress?.({ phase: "done", done: 1, total: 1 });
  const kernel = { name: entry.name, backend: "groth16", outputClaims: [], inputClaims: [], groth16: { pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c }, publicSignals } as unknown as KernelProofEntry;
  return {
    format: PROOF_FORMAT,
    version: PROOF_VERSION,
    manifestDigest: toHex(model.digest),
    inputs: q.inputs.map((e) => ({ name: e.name, visibility: "public", integers: Array.from(values.get(e.name)!) })),
    outputs: q.outputs.map((e) => {
      const v = values.get(e.name)!;
      return { name: e.name, onnxName: e.onnxName, shape: [...e.shape], visibility: "public", integers: Array.from(v), floats: Array.from(dequantise(v, e.scale)) };
    }),
    commitments: [],
    kernels: [kernel],
    claims: [],
    stats: { kernels: [{ name: entry.name, backend: "groth16", seconds }], commitSeconds: 0, witnessSeconds, peakLiveTensors: values.size },
    hashedOutputs: [],
  };
}
