/**
 * Monolithic Groth16 baseline (DESIGN §7): every fixture model (mlp, lenet, transformer, mnist)
 * compiled as ONE whole-model circuit by backends/groth16/codegen.ts and, when it fits, set up,
 * proven and verified through snarkjs. Reports constraints, wires, nonzeros, the ptau power, the
 * constraints per primitive kind, plain integer inference time (runProgram), setup (uncached
 * zkey: newZKey + contribution), prove, verify, and peak RSS of a fresh process per model.
 *
 * Then linked kernels (backends/groth16/statement.ts statement: Poseidon commitments of inputs
 * and outputs, MLE claims) cut from the same programs: constraints split into primitives and
 * statement (commitments + claims), and setup/prove/verify when they fit.
 *
 * A circuit "did not fit" when it needs a ptau power above --max-power (default 14: a development
 * ptau of 2^14 takes minutes to make, 2^16+ far longer, and snarkjs's setup/prover memory grows
 * with it); its constraint count is still reported.
 *
 * Run: npx tsx scripts/bench-groth16.ts [--models mlp,mnist,...] [--kernels a,b|none] [--max-power N]
 */
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { loadModelFile } from "../compiler/onnx/load.js";
import { calibrate, randomSamples, type Feeds } from "../compiler/quant/calibrate.js";
import { tensor } from "../compiler/ir/tensor.js";
import { quantiseInput, runProgram } from "../runtime/witness.js";
import { groth16SignalCount } from "../backends/groth16/statement.js";
import { buildWholeModelCircuit, compileGroth16Kernel, countGroth16Kernel, countWholeModel, kernelSpecOfRange, proveWholeModel, setupWholeModel, verifyWholeModel } from "../backends/groth16/codegen.js";
import { cacheDir, requiredPower, resolvePtau, setupGroth16, terminateSnarkjs } from "../backends/groth16/keys.js";
import { proveGroth16, verifyGroth16 } from "../backends/groth16/prove.js";
import type { QProgram } from "../compiler/quant/prim.js";

const MODELS = ["mlp", "mnist", "lenet", "transformer"];

interface Row {
  model: string;
  constraints: number;
  wires: number;
  nonzeros?: number;
  publicSignals: number;
  power: number;
  perOp: Record<string, number>;
  buildMs: number;
  inferenceMs: number;
  setupMs?: number;
  proveMs?: number;
  witnessMs?: number;
  verifyMs?: number;
  peakRssMb: number;
  fit: boolean;
  note?: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function fixtureProgram(model: string): { program: QProgram; inputs: Map<string, Float64Array> } {
  const g = loadModelFile(fixture(`${model}.onnx`));
  const inp = JSON.parse(readFileSync(fixture(`${model}.input.json`), "utf8")) as { input_data: number[][] };
  const sample: Feeds = Object.fromEntries(g.inputs.map((i, k) => [i.name, tensor(i.dtype, i.shape, Float64Array.from(inp.input_data[k]!))]));
  const program = calibrate(g, [sample, ...randomSamples(g, 15, 1, [sample])]).program;
  const inputs = new Map(program.inputs.map((n) => [n, quantiseInput(program, n, sample[n]!.data).values]));
  return { program, inputs };
}

/** Kernels cut from the fixture programs: model, first and last primitive output, what it is. */
const KERNELS: Record<string, { model: string; first: string; last: string; what: string }> = {
  "mnist-fc2": { model: "mnist", first: "matmul#7", last: "clamp#11", what: "mnist layer 2 (32 -> 10, rescale, saturate)" },
  "lenet-fc": { model: "lenet", first: "matmul#35", last: "rescale#52", what: "lenet 400-120-84-10 tail" },
  "transformer-softmax": { model: "transformer", first: "gather#50", last: "div#69", what: "transformer softmax over 2x16x16 scores" },
};

interface KernelRow {
  kernel: string;
  what: string;
  prims: number;
  inElements: number;
  outElements: number;
  constraints: number;
  primConstraints: number;
  publicSignals: number;
  power: number;
  setupMs?: number;
  proveMs?: number;
  verifyMs?: number;
  peakRssMb: number;
  fit: boolean;
  note?: string;
}

async function benchKernel(id: string, maxPower: number): Promise<KernelRow> {
  const k = KERNELS[id]!;
  const { program, inputs } = fixtureProgram(k.model);
  const start = program.prims.findIndex((p) => p.out === k.first);
  const end = program.prims.findIndex((p) => p.out === k.last) + 1;
  if (start < 0 || end <= start) throw new Error(`${id}: primitives ${k.first}..${k.last} not found in ${k.model}'s program`);
  const spec = kernelSpecOfRange(program, start, end, id);
  const size = (n: string) => program.tensors.get(n)!.shape.reduce((a, c) => a * c, 1);
  const counted = countGroth16Kernel(spec);
  const primConstraints = counted.perPrim.reduce((a, c) => a + c.constraints, 0);
  const nPublic = groth16SignalCount(spec);
  const power = requiredPower(counted.constraints, nPublic);
  const base = {
    kernel: id,
    what: k.what,
    prims: spec.prims.length,
    inElements: spec.inputs.reduce((a, n) => a + size(n), 0),
    outElements: spec.outputs.reduce((a, n) => a + size(n), 0),
    constraints: counted.constraints,
    primConstraints,
    publicSignals: nPublic,
    power,
  };
  if (power > maxPower) return { ...base, peakRssMb: process.resourceUsage().maxRSS / 1024, fit: false, note: `needs ptau 2^${power} > limit 2^${maxPower}` };
  const kernel = compileGroth16Kernel(spec);
  const env = runProgram(program, inputs);
  const point = (n: string, salt: number) => {
    const vars = program.tensors.get(n)!.shape.reduce((a, d) => a + Math.ceil(Math.log2(d)), 0);
    return Array.from({ length: vars }, (_, i) => BigInt(1000003 * (i + 1) + salt) ** 5n % 21888242871839275222246405745257275088548364400416034343698204186575808495617n);
  };
  const assignment = { values: env, inputPoints: spec.inputs.map((n, j) => point(n, j)), outputPoints: spec.outputs.map((n, j) => point(n, 100 + j)) };
  const tmp = mkdtempSync(path.join(tmpdir(), "zkc-bench-"));
  symlinkSync(path.join(cacheDir(), "ptau"), path.join(tmp, "ptau"));
  try {
    await resolvePtau(power);
    let t = performance.now();
    const keys = await setupGroth16(kernel.build().r1cs, { cacheDir: tmp });
    const setupMs = performance.now() - t;
    t = performance.now();
    const built = kernel.build(assignment);
    const proved = await proveGroth16(built.r1cs, built.witness, keys);
    const proveMs = performance.now() - t;
    t = performance.now();
    const ok = await verifyGroth16(keys.vkey, proved.publicSignals, proved.proof);
    const verifyMs = performance.now() - t;
    if (!ok.ok) throw new Error(`${id}: proof did not verify: ${ok.reason}`);
    return { ...base, setupMs, proveMs, verifyMs, peakRssMb: process.resourceUsage().maxRSS / 1024, fit: true };
  } finally {
    await terminateSnarkjs();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function benchOne(model: string, maxPower: number): Promise<Row> {
  const { program, inputs } = fixtureProgram(model);
  let t = performance.now();
  for (let i = 0; i < 3; i++) runProgram(program, inputs);
  const inferenceMs = (performance.now() - t) / 3;

  t = performance.now();
  const counted = countWholeModel(program);
  const perOp: Record<string, number> = {};
  for (const c of counted.perPrim) perOp[c.op] = (perOp[c.op] ?? 0) + c.constraints;
  const power = requiredPower(counted.constraints, counted.publicSignals);
  const base = { model, constraints: counted.constraints, wires: counted.wires, publicSignals: counted.publicSignals, power, perOp, inferenceMs };
  if (power > maxPower) {
    return { ...base, buildMs: performance.now() - t, peakRssMb: process.resourceUsage().maxRSS / 1024, fit: false, note: `needs ptau 2^${power} > limit 2^${maxPower}` };
  }
  const circuit = buildWholeModelCircuit(program);
  const buildMs = performance.now() - t;
  // uncached zkey: a fresh cache directory that shares the ptau files
  const tmp = mkdtempSync(path.join(tmpdir(), "zkc-bench-"));
  symlinkSync(path.join(cacheDir(), "ptau"), path.join(tmp, "ptau"));
  try {
    await resolvePtau(power); // make/find the ptau outside the timed setup
    t = performance.now();
    const keys = await setupWholeModel(circuit, { cacheDir: tmp });
    const setupMs = performance.now() - t;
    t = performance.now();
    circuit.witness(inputs);
    const witnessMs = performance.now() - t;
    t = performance.now();
    const proved = await proveWholeModel(circuit, keys, inputs);
    const proveMs = performance.now() - t;
    t = performance.now();
    const ok = await verifyWholeModel(circuit.layout, keys.vkey, proved.publicSignals, proved.proof);
    const verifyMs = performance.now() - t;
    if (!ok.ok) throw new Error(`${model}: proof did not verify: ${ok.reason}`);
    const expected = runProgram(program, inputs);
    for (const o of program.outputs) {
      if (Array.from(proved.outputs.get(o)!).join() !== Array.from(expected.get(o)!).join()) throw new Error(`${model}: proven output ${o} differs from runProgram`);
    }
    return { ...base, nonzeros: circuit.stats.nonzeros, buildMs, setupMs, witnessMs, proveMs, verifyMs, peakRssMb: process.resourceUsage().maxRSS / 1024, fit: true };
  } finally {
    await terminateSnarkjs();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return "—";
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

async function main(): Promise<void> {
  const maxPower = Number(arg("--max-power") ?? 14);
  const one = arg("--one");
  if (one) {
    process.send!(one.startsWith("kernel:") ? await benchKernel(one.slice(7), maxPower) : await benchOne(one, maxPower));
    return;
  }
  // a fresh process per measurement, so peak RSS is that circuit's
  const inChild = <T>(what: string) =>
    new Promise<T>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ["--one", what, "--max-power", String(maxPower)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
      let got: T | undefined;
      child.on("message", (m) => (got = m as T));
      child.on("exit", (code) => (got ? resolve(got) : reject(new Error(`${what}: benchmark process exited with ${code}`))));
    });
  const models = (arg("--models") ?? MODELS.join(",")).split(",").filter((m) => m && m !== "none");
  const rows: Row[] = [];
  for (const model of models) {
    const row = await inChild<Row>(model);
    rows.push(row);
    console.error(`${model}: ${row.constraints} constraints${row.fit ? `, prove ${fmtMs(row.proveMs)}` : ` (${row.note})`}`);
  }
  const kernelIds = (arg("--kernels") ?? Object.keys(KERNELS).join(",")).split(",").filter((k) => k && k !== "none");
  const krows: KernelRow[] = [];
  for (const id of kernelIds) {
    const row = await inChild<KernelRow>(`kernel:${id}`);
    krows.push(row);
    console.error(`${id}: ${row.constraints} constraints${row.fit ? `, prove ${fmtMs(row.proveMs)}` : ` (${row.note})`}`);
  }
  console.log("| model | constraints | wires | nonzeros | public | ptau | build | inference | setup | witness | prove | verify | peak RSS |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const fit = r.fit ? "" : " (did not fit)";
    console.log(
      `| ${r.model}${fit} | ${r.constraints} | ${r.wires} | ${r.nonzeros ?? "—"} | ${r.publicSignals} | 2^${r.power} | ${fmtMs(r.buildMs)} | ${fmtMs(r.inferenceMs)} | ${fmtMs(r.setupMs)} | ${fmtMs(r.witnessMs)} | ${fmtMs(r.proveMs)} | ${fmtMs(r.verifyMs)} | ${r.peakRssMb.toFixed(0)} MB |`,
    );
  }
  console.log("\nConstraints per primitive kind:\n");
  for (const r of rows) console.log(`- ${r.model}: ${Object.entries(r.perOp).filter(([, n]) => n > 0).map(([op, n]) => `${op} ${n}`).join(", ")}`);
  if (krows.length === 0) return;
  console.log("\nLinked kernels (statement: commitments of inputs and outputs, MLE claims):\n");
  console.log("| kernel | prims | in / out elements | constraints | of which primitives | public | ptau | setup | prove | verify | peak RSS |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of krows) {
    const fit = r.fit ? "" : " (did not fit)";
    console.log(
      `| ${r.kernel}${fit}: ${r.what} | ${r.prims} | ${r.inElements} / ${r.outElements} | ${r.constraints} | ${r.primConstraints} | ${r.publicSignals} | 2^${r.power} | ${fmtMs(r.setupMs)} | ${fmtMs(r.proveMs)} | ${fmtMs(r.verifyMs)} | ${r.peakRssMb.toFixed(0)} MB |`,
    );
  }
}

await main();
