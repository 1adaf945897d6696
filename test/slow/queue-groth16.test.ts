/**
 * Slow (not in the default suite: the Groth16 setup takes about a minute in a fresh cache): an
 * independent plan with Groth16 (ArgMax) and hashed-input commit kernels proven on the queue —
 * the proving keys travel through the run's store, the coordinator verifies each Groth16 proof with
 * the verification key — and the bundle verifies; a tampered Groth16 result is rejected and
 * re-proven. Needs redis-server (skipped, saying so, without it). `npm run test:slow`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { terminateCurve } from "../../backends/math/commit/curve.js";
import { prove } from "../../runtime/prove.js";
import { serializeProof } from "../../runtime/proof.js";
import { startQueueWorker } from "../../runtime/queue/worker.js";
import { verify } from "../../runtime/verify.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { compile, filesOf, tinyClassifier } from "../link/helpers.js";
import { hasRedisServer, startRedis, type RedisServer } from "../queue/redis.js";

describe.skipIf(!hasRedisServer)("Groth16 kernels on the queue (skipped: redis-server is not on PATH; apt-get install redis-server)", () => {
  const m = tinyClassifier(5, true, 3);
  let c: CompiledModel;
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedis();
    c = await compile(m, { linking: "independent", inputVisibility: "hashed" });
  }, 600_000);
  afterAll(async () => {
    await redis?.kill();
    await terminateCurve();
    await terminateSnarkjs();
  });

  it("proves GKR, Groth16 and commit kernels on a worker; a tampered Groth16 result is rejected", async () => {
    const groth16 = c.manifest.kernels.findIndex((k) => k.backend === "groth16");
    expect(groth16).toBeGreaterThanOrEqual(0);
    expect(c.manifest.kernels[0]!.kind).toBe("hash-input");
    const w = await startQueueWorker({
      url: redis.url,
      // the first try of the Groth16 kernel comes back with a public signal changed
      tamperResult: (r, job) => {
        if (job.kernel !== groth16 || job.attempt !== 0) return r;
        const signals = r.section.publicSignals as (bigint | string)[];
        const bumped = signals.map((x, i) => (i !== 0 ? x : typeof x === "bigint" ? x + 1n : String(BigInt(x) + 1n)));
        return { ...r, section: { ...r.section, publicSignals: bumped } };
      },
    });
    try {
      const b = await prove(c.manifest, filesOf(c), m.input, { queue: { url: redis.url } });
      expect(b.stats.queue!.rejected.map((x) => x.kernel)).toEqual([c.manifest.kernels[groth16]!.name]);
      expect(await verify(c.manifest, serializeProof(b), filesOf(c))).toMatchObject({ ok: true });
    } finally {
      await w.close();
    }
  });
});
