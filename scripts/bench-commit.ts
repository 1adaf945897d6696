/**
 * Commitment / logUp / non-linear layer benchmark (times in ms, sizes in bytes).
 *
 *   npx tsx scripts/bench-commit.ts [--engine ffjavascript|noble] [--quick]
 *
 * - Hyrax commit / open / verify and proof size for random small-integer vectors of 2^12, 2^16, 2^18
 *   entries (values in [-128, 128));
 * - logUp range check of 2^16 values in [0, 2^8): commit the values and multiplicities, prove, open,
 *   verify;
 * - ReLU (max with zeros) over 2^16 values through the GKR kernel driver with its commitments.
 * Every run checks its own result (verification must accept).
 */
import { FrVector } from "../backends/math/field.js";
import { Transcript } from "../backends/math/transcript.js";
import {
  commit,
  commitmentBytes,
  open,
  openingCheck,
  terminateCurve,
  verifyMsmChecks,
  verifyOpening,
} from "../backends/math/commit/index.js";
import { msmBenchSetup } from "./msm-bench-setup.js";
import { evaluateMle } from "../backends/math/mle.js";
import { proveLogup, rangeMultiplicities, verifyLogup, witnessLeafValue } from "../backends/gkr/logup.js";
import { claimOnPublic, type Kernel } from "../backends/gkr/kernel.js";
import { countFieldElements } from "../backends/gkr/messages.js";
import { proveKernelWithCommitments, verifyKernelWithCommitments } from "../backends/gkr/nonlinear/index.js";

const { engine, quick, rand, fieldPoint } = msmBenchSetup(process.argv.slice(2), 12345);
const now = (): number => performance.now();
const ms = (t: number): string => t.toFixed(0);

function sizeOf(x: unknown): number {
  if (x instanceof Uint8Array) return x.length;
  if (Array.isArray(x)) return x.reduce((s: number, e) => s + sizeOf(e), 0);
  if (typeof x === "object" && x !== null) return Object.values(x).reduce((s: number, e) => s + sizeOf(e), 0);
  return typeof x === "bigint" ? 32 : 0;
}

async function benchHyrax(): Promise<void> {
  console.log(`\n## Hyrax (${engine.kind} MSM)`);
  console.log("| entries | commit | open | verify | commitment | opening proof |");
  console.log("|---|---|---|---|---|---|");
  for (const n of quick ? [12] : [12, 16, 18]) {
    const values = Int32Array.from({ length: 2 ** n }, () => rand(256) - 128);
    let t = now();
    const { commitment, state } = await commit(values, n);
    const tCommit = now() - t;
    const point = fieldPoint(n);
    t = now();
    const { value, proof } = open(state, point, new Transcript("bench"));
    const tOpen = now() - t;
    t = now();
    const ok = await verifyOpening(commitment, point, value, proof, new Transcript("bench"));
    const tVerify = now() - t;
    if (!ok) throw new Error("bench: opening rejected");
    console.log(`| 2^${n} | ${ms(tCommit)} | ${ms(tOpen)} | ${ms(tVerify)} | ${commitmentBytes(commitment).length} | ${32 * proof.combined.length} |`);
  }
}

async function benchRange(): Promise<void> {
  const n = 16;
  const bits = 8;
  const values = Int32Array.from({ length: 2 ** n }, () => rand(2 ** bits));
  let t = now();
  const m = rangeMultiplicities(bits, [values]);
  const cx = await commit(values, n);
  const cm = await commit(m, bits);
  const tCommit = now() - t;
  t = now();
  const pt = new Transcript("bench-range");
  pt.absorbBytes("x", commitmentBytes(cx.commitment));
  pt.absorbBytes("m", commitmentBytes(cm.commitment));
  const statement = { tables: [{ kind: "range" as const, bits }], witnessTables: [0], witnessVars: n };
  const lg = proveLogup(statement, { columns: [[FrVector.fromInt32(values)]], multiplicities: [m] }, pt);
  const ox = open(cx.state, lg.claims.point, pt);
  const om = open(cm.state, lg.claims.multiplicityClaims[0]!.point, pt);
  const tProve = now() - t;
  t = now();
  const vt = new Transcript("bench-range");
  vt.absorbBytes("x", commitmentBytes(cx.commitment));
  vt.absorbBytes("m", commitmentBytes(cm.commitment));
  const v = verifyLogup(statement, lg.proof, vt);
  if (!v.ok) throw new Error(`bench: logUp rejected: ${v.reason}`);
  if (witnessLeafValue(v.claims.alpha, v.claims.beta, [ox.value]) !== v.claims.witnessLeaves[0]) throw new Error("bench: leaf mismatch");
  const c1 = openingCheck(cx.commitment, v.claims.point, ox.value, ox.proof, vt);
  const mc = v.claims.multiplicityClaims[0]!;
  const c2 = openingCheck(cm.commitment, mc.point, mc.value, om.proof, vt);
  if (!c1.ok || !c2.ok || !(await verifyMsmChecks([c1.check, c2.check], vt))) throw new Error("bench: openings rejected");
  const tVerify = now() - t;
  if (evaluateMle(FrVector.fromInt32(values), v.claims.point) !== ox.value) throw new Error("bench: wrong opening value");
  const size = sizeOf(lg.proof) + sizeOf(ox.proof) + sizeOf(om.proof) + 64 + commitmentBytes(cx.commitment).length + commitmentBytes(cm.commitment).length;
  console.log(`\n## logUp range check: 2^${n} values in [0, 2^${bits})`);
  console.log(`commit values + multiplicities ${ms(tCommit)} ms, prove (logUp + openings) ${ms(tProve)} ms, verify ${ms(tVerify)} ms, proof incl. commitments ${size} bytes`);
}

async function benchRelu(): Promise<void> {
  const n = quick ? 12 : 16;
  const size = 2 ** n;
  const x = Float64Array.from({ length: size }, () => rand(2 ** 16) - 2 ** 15);
  const zero = new Float64Array(size);
  const y = x.map((v) => Math.max(0, v));
  const kernel: Kernel = {
    name: "relu",
    prims: [{ op: "max", a: "x", b: "zero", out: "y" }],
    tensors: new Map([
      ["x", { shape: [size], maxAbs: 2 ** 15 }],
      ["zero", { shape: [size], values: zero, maxAbs: 0 }],
      ["y", { shape: [size], maxAbs: 2 ** 15 }],
    ]) as Kernel["tensors"],
  };
  const values = new Map([["x", x], ["zero", zero], ["y", y]]);
  let t = now();
  const { proof } = await proveKernelWithCommitments(kernel, values, (tr) => [claimOnPublic("y", [size], y, tr)], new Transcript("bench-relu"));
  const tProve = now() - t;
  t = now();
  const verdict = await verifyKernelWithCommitments(kernel, proof, (tr) => [claimOnPublic("y", [size], y, tr)], new Transcript("bench-relu"));
  const tVerify = now() - t;
  if (!verdict.ok) throw new Error(`bench: ReLU rejected: ${verdict.reason}`);
  console.log(`\n## ReLU over 2^${n} values (|x| < 2^15; sign bit + 16-bit |x| range check)`);
  console.log(
    `prove (commit + relation sumcheck + logUp + openings) ${ms(tProve)} ms, verify ${ms(tVerify)} ms, ` +
      `proof ${sizeOf(proof)} bytes (${countFieldElements(proof.kernel)} field elements + ${sizeOf(proof.commitments)} commitment bytes)`,
  );
}

try {
  // warm up: wasm workers and the generators
  await commit(Int32Array.from({ length: 2 ** 10 }, (_, i) => i), 10);
  await benchHyrax();
  await benchRange();
  await benchRelu();
} finally {
  await terminateCurve();
}
