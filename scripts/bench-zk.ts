/**
 * Zero-knowledge layer benchmark: the Hyrax-style ZK sumcheck against the plain one, and hiding
 * Hyrax evaluation proofs against plain openings (times in ms, sizes in bytes, median of runs).
 *
 *   npx tsx scripts/bench-zk.ts [--quick] [--engine ffjavascript|noble]
 *
 * - sumcheck over n = 10, 14, 18 variables: degree 2 (f·g) and degree 3 (eq·A·B, eq public as in
 *   GKR); tables of small integers (a quantised witness), a public claim;
 * - Hyrax on 2^14 and 2^18 small-integer entries: commit, evaluation proof (linear and log-size
 *   dot-product proofs), verification.
 * Every run checks its own result (verification must accept). The blinding comes from the seeded
 * test RNG, which costs the same as the CSPRNG's output but keeps runs reproducible.
 */
import { FrVector } from "../backends/math/field.js";
import { eqEval, eqTable } from "../backends/math/mle.js";
import { proveSumcheck, verifySumcheck, combineTermEvals, type ProductTerm } from "../backends/math/sumcheck.js";
import { Transcript } from "../backends/math/transcript.js";
import {
  commit,
  commitmentBytes,
  open,
  terminateCurve,
  verifyMsmChecks,
  verifyOpening,
} from "../backends/math/commit/index.js";
import { msmBenchSetup } from "./msm-bench-setup.js";
import {
  absorbHidingCommitment,
  commitHiding,
  hidingCommitmentBytes,
  proveZkEvaluation,
  proveZkSumcheck,
  publicCommitment,
  seededBlindingRng,
  zkEvaluationCheck,
  zkEvaluationProofBytes,
  zkSumcheckCheck,
  zkSumcheckProofBytes,
} from "../backends/math/zk/index.js";

const { engine, quick, rand, fieldPoint } = msmBenchSetup(process.argv.slice(2), 4242);
const ms = (t: number): string => (t < 10 ? t.toFixed(1) : t.toFixed(0));

async function median(runs: number, f: () => Promise<number> | number): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) ts.push(await f());
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)]!;
}

async function timed(f: () => unknown): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

async function benchSumcheck(): Promise<void> {
  console.log(`\n## Sumcheck: plain vs zero-knowledge (${engine.kind} MSM for the ZK verifier)`);
  console.log("| n | degree | plain prove | ZK prove | plain verify | ZK verify | plain proof | ZK proof |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const n of quick ? [10] : [10, 14, 18]) {
    for (const degree of [2, 3]) {
      const size = 2 ** n;
      const ints = () => FrVector.fromInt32(Int32Array.from({ length: size }, () => rand(256) - 128));
      const rPrev = fieldPoint(n);
      const polys = degree === 2 ? [ints(), ints()] : [eqTable(rPrev), ints(), ints()];
      const terms: ProductTerm[] = [{ coeff: 1n, factors: degree === 2 ? [0, 1] : [0, 1, 2] }];
      const publicPolys = degree === 3 ? [0] : [];
      const inst = { polys, terms };
      const claim = proveSumcheck(inst, new Transcript("claim")).claim;
      const runs = n <= 14 ? 3 : 1;
      let plain = proveSumcheck(inst, new Transcript("bench"), claim);
      const tPlain = await median(runs, () => timed(() => (plain = proveSumcheck(inst, new Transcript("bench"), claim))));
      const tPlainVerify = await median(runs, () =>
        timed(() => {
          const v = verifySumcheck(claim, n, degree, plain.proof, new Transcript("bench"));
          if (!v.ok || v.claimedEval !== combineTermEvals(terms, plain.polyEvals)) throw new Error("bench: plain sumcheck rejected");
        }),
      );
      let zk = proveZkSumcheck(inst, { value: claim, blinding: 0n }, new Transcript("bench"), seededBlindingRng("bench"), { publicPolys });
      const tZk = await median(runs, () =>
        timed(() => (zk = proveZkSumcheck(inst, { value: claim, blinding: 0n }, new Transcript("bench"), seededBlindingRng("bench"), { publicPolys }))),
      );
      const shape = { numVars: n, numPolys: polys.length, terms, publicPolys };
      const tZkVerify = await median(runs, () =>
        timed(async () => {
          const t = new Transcript("bench");
          const v = zkSumcheckCheck(publicCommitment(claim), shape, zk.proof, t, (_, point) => eqEval(rPrev, point));
          if (!v.ok || !(await verifyMsmChecks(v.checks, t))) throw new Error(`bench: ZK sumcheck rejected${v.ok ? "" : `: ${v.reason}`}`);
        }),
      );
      const plainBytes = 32 * plain.proof.rounds.flat().length;
      console.log(`| ${n} | ${degree} | ${ms(tPlain)} | ${ms(tZk)} | ${ms(tPlainVerify)} | ${ms(tZkVerify)} | ${plainBytes} | ${zkSumcheckProofBytes(zk.proof).length} |`);
    }
  }
}

async function benchHyrax(): Promise<void> {
  console.log(`\n## Hyrax: plain opening vs zero-knowledge evaluation (${engine.kind} MSM)`);
  console.log("| entries | plain commit | hiding commit | plain open | ZK prove | ZK-log prove | plain verify | ZK verify | ZK-log verify | plain proof | ZK proof | ZK-log proof | commitment |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const n of quick ? [14] : [14, 18]) {
    const values = Int32Array.from({ length: 2 ** n }, () => rand(256) - 128);
    const point = fieldPoint(n);
    const runs = n <= 14 ? 3 : 1;
    let plain = await commit(values, n);
    const tCommit = await median(runs, () => timed(async () => (plain = await commit(values, n))));
    let hiding = await commitHiding(values, n, seededBlindingRng("bench"));
    const tHiding = await median(runs, () => timed(async () => (hiding = await commitHiding(values, n, seededBlindingRng("bench")))));
    let opened = open(plain.state, point, new Transcript("bench"));
    const tOpen = await median(runs, () => timed(() => (opened = open(plain.state, point, new Transcript("bench")))));
    const tVerify = await median(runs, () =>
      timed(async () => {
        if (!(await verifyOpening(plain.commitment, point, opened.value, opened.proof, new Transcript("bench")))) throw new Error("bench: opening rejected");
      }),
    );
    const zkTranscript = (): Transcript => {
      const t = new Transcript("bench");
      absorbHidingCommitment(t, "c", hiding.commitment);
      return t;
    };
    let zk = await proveZkEvaluation(hiding.state, point, zkTranscript(), seededBlindingRng("bench"));
    const tZk = await median(runs, () => timed(async () => (zk = await proveZkEvaluation(hiding.state, point, zkTranscript(), seededBlindingRng("bench")))));
    const tZkVerify = await median(runs, () =>
      timed(async () => {
        const t = zkTranscript();
        const v = zkEvaluationCheck(hiding.commitment, point, zk.proof, t);
        if (!v.ok || !(await verifyMsmChecks(v.checks, t))) throw new Error("bench: ZK evaluation rejected");
      }),
    );
    const logSize = { logSize: true };
    let zkLog = await proveZkEvaluation(hiding.state, point, zkTranscript(), seededBlindingRng("bench"), logSize);
    const tZkLog = await median(runs, () => timed(async () => (zkLog = await proveZkEvaluation(hiding.state, point, zkTranscript(), seededBlindingRng("bench"), logSize))));
    const tZkLogVerify = await median(runs, () =>
      timed(async () => {
        const t = zkTranscript();
        const v = zkEvaluationCheck(hiding.commitment, point, zkLog.proof, t, logSize);
        if (!v.ok || !(await verifyMsmChecks(v.checks, t))) throw new Error("bench: ZK log-size evaluation rejected");
      }),
    );
    if (zk.value !== opened.value || zkLog.value !== opened.value) throw new Error("bench: the ZK and plain values differ");
    const sizes = `${32 * opened.proof.combined.length} | ${zkEvaluationProofBytes(zk.proof).length} | ${zkEvaluationProofBytes(zkLog.proof).length} | ${commitmentBytes(plain.commitment).length} / ${hidingCommitmentBytes(hiding.commitment).length}`;
    console.log(`| 2^${n} | ${ms(tCommit)} | ${ms(tHiding)} | ${ms(tOpen)} | ${ms(tZk)} | ${ms(tZkLog)} | ${ms(tVerify)} | ${ms(tZkVerify)} | ${ms(tZkLogVerify)} | ${sizes} |`);
  }
}

await benchSumcheck();
await benchHyrax();
await terminateCurve();
