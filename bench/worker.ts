/**
 * One measured benchmark step, run in its own process by bench/run.ts:
 *   node --import tsx bench/worker.ts <step> <json argument>
 * It prints exactly one line `BENCH_RESULT {json}` on success, with `maxRssKb` from
 * `process.resourceUsage().maxRSS` at the end (the parent also polls /proc/<pid>/status).
 * Timings inside are of the step itself (performance.now around the call), not of process start
 * and module loading, which the parent's wall clock includes.
 *
 * Steps: ptau, calibrate, infer, mono-build, mono-witness, mono-setup, mono-prove, mono-verify,
 * zkc-compile, zkc-prove, zkc-verify.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as snarkjs from "snarkjs";
import { buildWholeModelCircuit, verifyWholeModel, type PublicLayout } from "../backends/groth16/codegen.js";
import { cacheDir, requiredPower, resolvePtau, terminateSnarkjs } from "../backends/groth16/keys.js";
import { runProgram } from "../runtime/witness.js";
import { RESULT_PREFIX, median, repetitionsFor, timed } from "./proc.js";
import { prepare, programMacs, type ModelSpec } from "./models.js";
import { zkcCompile, zkcProve, zkcVerify, type ZkcStepArgs } from "./zkc.js";

/** Arguments of the model steps. */
interface ModelArgs {
  spec: ModelSpec;
  /** fixed-point scale found by the calibrate step (so every worker rebuilds the same program) */
  scale: number;
  /** directory for this model's artifacts (circuit, keys, proofs) */
  dir: string;
}

/**
 * snarkjs builds the bn128 curve (wasm, worker threads) on first use and caches it in
 * `globalThis.curve_bn128`; building it first keeps that one-time start-up out of the timed
 * step. Returns the seconds it took.
 */
async function snarkjsCurve(): Promise<number> {
  const [, s] = await secondsAsync(() => snarkjs.curves.getCurveFromName("bn128"));
  return s;
}

function done(result: Record<string, unknown>): void {
  const maxRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ...result, maxRssKb })}\n`);
}

function seconds<T>(f: () => T): [T, number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

async function secondsAsync<T>(f: () => Promise<T>): Promise<[T, number, number]> {
  const { value, wallS, cpuS } = await timed(f);
  return [value, wallS, cpuS];
}

/** Cached local (random-secret) ptau powers in the zkc cache: what resolvePtau uses by default. */
function cachedPtauPowers(): number[] {
  const dir = path.join(cacheDir(), "ptau");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^zkc-local-bn128-(\d+)\.ptau$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
}

const steps: Record<string, (arg: any) => Promise<void>> = {
  /**
   * Makes sure a development ptau of at least `power` is cached; times generation when it runs
   * here. When another process is generating it (its lock file exists), this waits for that one
   * and reports it as cached (its generation time is logged by whoever generated it).
   */
  async ptau(arg: { power: number }) {
    mkdirSync(path.join(cacheDir(), "ptau"), { recursive: true });
    const lockExists = readdirSync(path.join(cacheDir(), "ptau")).some((f) => new RegExp(`^zkc-local-bn128-${arg.power}\\.ptau\\.lock$`).test(f));
    const cached = lockExists || cachedPtauPowers().some((p) => p >= arg.power);
    const [info, s] = await secondsAsync(() => resolvePtau(arg.power));
    await terminateSnarkjs();
    done({ cached, power: info.power, path: info.path, generateS: cached ? null : s, waitedS: lockExists ? s : null });
  },

  /** Loads and calibrates the model (scale search), reports program size and MACs. */
  async calibrate(arg: { spec: ModelSpec }) {
    const [p, s] = seconds(() => prepare(arg.spec));
    const ops: Record<string, number> = {};
    for (const prim of p.program.prims) ops[prim.op] = (ops[prim.op] ?? 0) + 1;
    done({
      calibrateS: s,
      scale: p.calibration.config.activationScale,
      metTarget: p.calibration.metTarget,
      worstRelL2: p.calibration.accuracy.worstRelL2,
      macs: programMacs(p.program),
      prims: p.program.prims.length,
      primOps: ops,
    });
  },

  /**
   * Plain integer inference (runProgram, the witness generator's interpreter): one warm-up run,
   * then repetitions — 3 or 1 for runs over 1 s, else enough for ~0.5 s in all (at least 5, at
   * most 1000) because sub-millisecond runs are noisy; the median is reported.
   */
  async infer(arg: ModelArgs) {
    const p = prepare(arg.spec, arg.scale);
    const [, warm] = seconds(() => runProgram(p.program, p.quantised));
    const reps = warm >= 1 ? repetitionsFor(warm) : Math.min(1000, Math.max(5, Math.ceil(0.5 / Math.max(warm, 1e-6))));
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < reps; i++) {
      const [, s, c] = seconds(() => runProgram(p.program, p.quantised));
      times.push(s);
      cpu.push(c);
    }
    done({ inferenceS: median(times), inferenceCpuS: median(cpu), runs: times.length, warmupS: warm });
  },

  /**
   * Monolithic baseline, part 1: the whole program as one R1CS (zkc's whole-model codegen),
   * written as a snarkjs .r1cs file with its public layout and sizes.
   */
  async "mono-build"(arg: ModelArgs) {
    const p = prepare(arg.spec, arg.scale);
    const [circuit, buildS, buildCpuS] = seconds(() => buildWholeModelCircuit(p.program));
    mkdirSync(arg.dir, { recursive: true });
    writeFileSync(path.join(arg.dir, "mono.r1cs"), circuit.r1csBytes);
    writeFileSync(path.join(arg.dir, "mono.layout.json"), JSON.stringify(circuit.layout));
    const { constraints, wires, nonzeros, publicSignals } = circuit.stats;
    const power = requiredPower(constraints, publicSignals);
    writeFileSync(path.join(arg.dir, "mono.stats.json"), JSON.stringify({ constraints, wires, nonzeros, publicSignals, power }));
    done({ buildS, buildCpuS, constraints, wires, nonzeros, publicSignals, power });
  },

  /**
   * Monolithic baseline, part 1b: the witness for the sample input (the codegen rebuilds the
   * circuit with values), written as a .wtns file; the circuit's outputs must equal plain
   * inference's. Apart from the prove step, as circom-based tools compute the witness apart.
   */
  async "mono-witness"(arg: ModelArgs) {
    const p = prepare(arg.spec, arg.scale);
    const [circuit, buildS] = seconds(() => buildWholeModelCircuit(p.program));
    const [w, witnessS, witnessCpuS] = seconds(() => circuit.witness(p.quantised));
    const expected = runProgram(p.program, p.quantised);
    for (const [name, got] of w.outputs) {
      const want = expected.get(name)!;
      if (got.some((v, i) => v !== want[i])) throw new Error(`whole-model circuit output ${name} differs from runProgram`);
    }
    writeFileSync(path.join(arg.dir, "mono.wtns"), w.wtns);
    done({ witnessS, witnessCpuS, rebuildS: buildS });
  },

  /**
   * Monolithic baseline, part 2: circuit-specific setup with snarkjs (zKey.newZKey from the cached
   * ptau, one contribution, verification key export) — the steps of setupGroth16 without its
   * zkey cache, so the setup is measured every run.
   */
  async "mono-setup"(arg: ModelArgs) {
    const stats = JSON.parse(readFileSync(path.join(arg.dir, "mono.stats.json"), "utf8")) as { power: number };
    if (!cachedPtauPowers().some((p) => p >= stats.power)) throw new Error(`no cached ptau of power >= ${stats.power} (the ptau step must run first)`);
    const ptau = await resolvePtau(stats.power);
    const r1cs = new Uint8Array(readFileSync(path.join(arg.dir, "mono.r1cs")));
    const curveS = await snarkjsCurve();
    const [vkey, setupS, setupCpuS] = await secondsAsync(async () => {
      const initial: snarkjs.MemFile = { type: "mem" };
      await snarkjs.zKey.newZKey(r1cs, ptau.path, initial);
      const contributed: snarkjs.MemFile = { type: "mem" };
      await snarkjs.zKey.contribute(initial.data!, contributed, "zkc bench", randomBytes(32).toString("hex"));
      writeFileSync(path.join(arg.dir, "mono.zkey"), contributed.data!);
      return snarkjs.zKey.exportVerificationKey(contributed.data!);
    });
    writeFileSync(path.join(arg.dir, "mono.vkey.json"), JSON.stringify(vkey));
    await terminateSnarkjs();
    done({ setupS, setupCpuS, curveS, ptauPower: ptau.power, zkeyBytes: readFileSync(path.join(arg.dir, "mono.zkey")).length });
  },

  /** Monolithic baseline, part 3: snarkjs groth16.prove from the .zkey and .wtns files. */
  async "mono-prove"(arg: ModelArgs) {
    const zkey = new Uint8Array(readFileSync(path.join(arg.dir, "mono.zkey")));
    const wtns = new Uint8Array(readFileSync(path.join(arg.dir, "mono.wtns")));
    const curveS = await snarkjsCurve();
    const [out, proveS, proveCpuS] = await secondsAsync(() => snarkjs.groth16.prove(zkey, wtns));
    const proofJson = JSON.stringify(out.proof);
    writeFileSync(path.join(arg.dir, "mono.proof.json"), proofJson);
    writeFileSync(path.join(arg.dir, "mono.public.json"), JSON.stringify(out.publicSignals));
    await terminateSnarkjs();
    done({ proveS, proveCpuS, curveS, proofBytes: Buffer.byteLength(proofJson) });
  },

  /**
   * Monolithic baseline, part 4: verifyWholeModel (input bounds + pairing check); must accept.
   * Timed twice in one process: the first call (cold: snarkjs's curve start-up, JIT) and a second
   * one (warm), which is the figure reported as verifyS.
   */
  async "mono-verify"(arg: ModelArgs) {
    const read = (f: string) => JSON.parse(readFileSync(path.join(arg.dir, f), "utf8"));
    const layout = read("mono.layout.json") as PublicLayout;
    const vkey = read("mono.vkey.json");
    const publicSignals = read("mono.public.json");
    const proof = read("mono.proof.json");
    const [cold, verifyColdS] = await secondsAsync(() => verifyWholeModel(layout, vkey, publicSignals, proof));
    const [warm, verifyS, verifyCpuS] = await secondsAsync(() => verifyWholeModel(layout, vkey, publicSignals, proof));
    await terminateSnarkjs();
    for (const r of [cold, warm]) if (!r.ok) throw new Error(`monolithic proof rejected: ${r.reason}`);
    done({ verifyS, verifyCpuS, verifyColdS });
  },

  async "zkc-compile"(arg: ZkcStepArgs) {
    done(await zkcCompile(arg));
  },
  async "zkc-prove"(arg: ZkcStepArgs) {
    done(await zkcProve(arg));
  },
  async "zkc-verify"(arg: ZkcStepArgs) {
    done(await zkcVerify(arg));
  },
};

const [step, json] = process.argv.slice(2);
const run = step === undefined ? undefined : steps[step];
if (!run || json === undefined) {
  process.stderr.write(`usage: node --import tsx bench/worker.ts <${Object.keys(steps).join("|")}> '<json>'\n`);
  process.exit(2);
}
run(JSON.parse(json)).then(
  () => process.exit(0),
  async (e: unknown) => {
    await terminateSnarkjs().catch(() => {});
    process.stderr.write(`${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  },
);
