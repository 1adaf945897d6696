/**
 * Monolithic Groth16 baseline (DESIGN §7): every fixture model (mlp, lenet, transformer, mnist)
 * compiled as ONE whole-model circuit by backends/groth16/codegen.ts and, when it fits, set up,
 * proven and verified through snarkjs. Reports constraints, wires, nonzeros, the ptau power, the
 * constraints per primitive kind, plain integer inference time (runProgram), setup (uncached
 * zkey: newZKey + contribution), prove, verify, and peak RSS of a fresh process per model.
 *
 * A model "did not fit" when it needs a ptau power above --max-power (default 14: a development
 * ptau of 2^14 is minutes to make, 2^16+ far longer, and snarkjs's setup/prover memory grows with
 * it); its constraint count is still reported.
 *
 * Run: npx tsx scripts/bench-groth16.ts [--models mlp,mnist,...] [--max-power N]
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
import { buildWholeModelCircuit, countWholeModel, proveWholeModel, setupWholeModel, verifyWholeModel } from "../backends/groth16/codegen.js";
import { cacheDir, requiredPower, resolvePtau, terminateSnarkjs } from "../backends/groth16/keys.js";

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

async function benchOne(model: string, maxPower: number): Promise<Row> {
  const g = loadModelFile(fixture(`${model}.onnx`));
  const inp = JSON.parse(readFileSync(fixture(`${model}.input.json`), "utf8")) as { input_data: number[][] };
  const sample: Feeds = Object.fromEntries(g.inputs.map((i, k) => [i.name, tensor(i.dtype, i.shape, Float64Array.from(inp.input_data[k]!))]));
  const program = calibrate(g, [sample, ...randomSamples(g, 15, 1, [sample])]).program;
  const inputs = new Map(program.inputs.map((n) => [n, quantiseInput(program, n, sample[n]!.data).values]));
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
    const row = await benchOne(one, maxPower);
    process.send!(row);
    return;
  }
  const models = (arg("--models") ?? MODELS.join(",")).split(",");
  const rows: Row[] = [];
  for (const model of models) {
    // a fresh process per model, so peak RSS is that model's
    const row = await new Promise<Row>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ["--one", model, "--max-power", String(maxPower)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
      let got: Row | undefined;
      child.on("message", (m) => (got = m as Row));
      child.on("exit", (code) => (got ? resolve(got) : reject(new Error(`${model}: benchmark process exited with ${code}`))));
    });
    rows.push(row);
    console.error(`${model}: ${row.constraints} constraints${row.fit ? `, prove ${fmtMs(row.proveMs)}` : ` (${row.note})`}`);
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
}

await main();
