/**
 * Proving on a BullMQ queue (runtime/queue/): `zkc worker --queue` and `zkc prove --queue` against
 * a redis-server of the test's own. The bundle is byte-identical to a local prove; a worker killed
 * mid-job is retried (stalled-job handling); a worker's tampered proof is rejected by the
 * coordinator and the kernel proven again; a kernel whose job keeps failing ends the prove with an
 * error naming it; a Redis that dies mid-run or cannot be reached gives a clear QUEUE error and no
 * proof file; a chained model is refused. (Groth16 kernels on the queue: test/slow/queue-groth16.test.ts,
 * whose trusted setup takes a minute in a fresh cache.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { terminateCurve } from "../../backends/math/commit/curve.js";
import { defaultBackends } from "../../backends/registry.js";
import { decodeValue, encodeValue } from "../../runtime/link/codec.js";
import { serializeProofBinary } from "../../runtime/proof-binary.js";
import { prove } from "../../runtime/prove.js";
import { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from "../../runtime/queue/worker.js";
import { verify } from "../../runtime/verify.js";
import { compile as compileApi } from "../../toolchain/api.js";
import { openArtifacts } from "../../toolchain/files.js";
import { ZKC, isCleanError, zkc } from "../cli/helpers.js";
import { bumpHex, fieldSlots, tinyClassifierOnnx, type Json } from "../link/helpers.js";
import { hasRedisServer, startRedis, type RedisServer } from "./redis.js";

const input = { x: [0.3, -0.2, 0.7, -0.9, 0.1, 0.5] };
// frequent stalled-job checks, so that a dead worker's job (its lock: 1.5 s) is picked up again within
// seconds; the live workers' own locks stay long, as a loaded machine can delay their renewal
const FAST_STALL = { stalledInterval: 500 } as const;

describe.skipIf(!hasRedisServer)("proving on a BullMQ queue (skipped: redis-server is not on PATH; apt-get install redis-server)", () => {
  let redis: RedisServer;
  let work: string;
  let indep: string;
  let chained: string;
  let art: ReturnType<typeof openArtifacts>;
  let localBin: Uint8Array;
  const workers: QueueWorker[] = [];
  const worker = async (o: Partial<QueueWorkerOptions> = {}) => {
    const w = await startQueueWorker({ url: redis.url, ...FAST_STALL, ...o });
    workers.push(w);
    return w;
  };
  const closeWorkers = () => Promise.all(workers.splice(0).map((w) => w.close()));
  const bin = (b: Awaited<ReturnType<typeof prove>>) => {
    const { stats: _s, hashedOutputs: _h, ...proof } = b;
    return serializeProofBinary(proof, defaultBackends);
  };
  /** `zkc worker` in a child process, with its output and a wait for a line */
  const workerChild = (args: string[], url = redis.url) => {
    const child: ChildProcess = spawn(process.execPath, [ZKC, "worker", "--queue", url, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const saw = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => (clearInterval(poll), reject(new Error(`the worker never printed ${re}:\n${out}`))), 45_000);
        const poll = setInterval(() => re.test(out) && (clearTimeout(t), clearInterval(poll), resolve()), 20);
      });
    return { child, exited, saw, out: () => out };
  };
  const runKeys = async () => {
    const c = new Redis(redis.url);
    try {
      return await c.keys("zkc:run:*");
    } finally {
      c.disconnect();
    }
  };

  beforeAll(async () => {
    redis = await startRedis();
    work = mkdtempSync(join(tmpdir(), "zkc-queue-"));
    writeFileSync(join(work, "input.json"), JSON.stringify(input));
    const onnx = tinyClassifierOnnx(5, false, 3);
    // all GKR: deterministic proofs (snarkjs randomises Groth16's), so bundles compare byte for byte
    indep = join(work, "indep");
    chained = join(work, "chained");
    await compileApi(onnx, { dir: indep, backend: "gkr", linking: "independent", calibrate: input });
    await compileApi(onnx, { dir: chained, backend: "gkr", calibrate: input });
    art = openArtifacts(indep);
    expect(art.manifest.kernels.length).toBeGreaterThanOrEqual(3);
    localBin = bin(await prove(art.manifest, art.files, input));
  }, 120_000);

  // a failed test must not leave workers that take the next test's jobs
  afterEach(closeWorkers);
  afterAll(async () => {
    await redis?.kill();
    if (work) rmSync(work, { recursive: true, force: true });
    await terminateCurve();
    await terminateSnarkjs();
  });

  describe("two workers in this process", () => {
    // started once for these tests (a worker's threads take seconds to start on a loaded machine);
    // `hook` plays the malicious or broken worker, whichever of the two takes the job
    let hook: QueueWorkerOptions["tamperResult"];
    const shared: QueueWorker[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) shared.push(await startQueueWorker({ url: redis.url, ...FAST_STALL, tamperResult: (r, job) => (hook ? hook(r, job) : r) }));
    });
    afterEach(() => (hook = undefined));
    afterAll(() => Promise.all(shared.map((w) => w.close())));

    it("give the local prove's bundle byte for byte, and the run's keys are removed", async () => {
      const b = await prove(art.manifest, art.files, input, { queue: { url: redis.url } });
      expect(Buffer.from(bin(b)).equals(Buffer.from(localBin))).toBe(true);
      expect(await verify(art.manifest, bin(b), art.files)).toMatchObject({ ok: true });
      expect(b.stats.queue).toMatchObject({ jobs: art.manifest.kernels.length, rejected: [] });
      expect(await runKeys()).toEqual([]);
    }, 60_000);

    it("a worker's tampered proof is rejected, re-queued and proven again", async () => {
      const tampered: string[] = [];
      hook = (r, job) => {
        if (job.kernel !== 1 || job.attempt !== 0) return r;
        tampered.push(job.name);
        const enc = encodeValue(r.section) as Json;
        const slots = fieldSlots(enc);
        slots[slots.length >> 1]!.set(bumpHex(slots[slots.length >> 1]!.get()));
        return { ...r, section: decodeValue(enc) as Json };
      };
      const b = await prove(art.manifest, art.files, input, { queue: { url: redis.url } });
      expect(tampered).toEqual([art.manifest.kernels[1]!.name]);
      expect(b.stats.queue!.rejected).toEqual([expect.objectContaining({ kernel: art.manifest.kernels[1]!.name, attempt: 0 })]);
      expect(b.stats.queue!.jobs).toBe(art.manifest.kernels.length + 1);
      expect(Buffer.from(bin(b)).equals(Buffer.from(localBin))).toBe(true);
    }, 60_000);

    it("a kernel whose job fails every attempt, or whose every result is rejected, ends the prove naming it", async () => {
      const name = art.manifest.kernels[1]!.name;
      hook = (r, job) => {
        if (job.kernel === 1) throw new Error("this worker cannot prove kernel 1");
        return r;
      };
      await expect(prove(art.manifest, art.files, input, { queue: { url: redis.url, attempts: 2 } })).rejects.toMatchObject({
        code: "QUEUE",
        message: expect.stringMatching(new RegExp(`kernel ${name}: its job failed on every one of its 2 attempts: this worker cannot prove kernel 1`)),
      });
      hook = (r, job) => (job.kernel === 1 ? { ...r, section: { ...r.section, bogus: 1 } } : r);
      await expect(prove(art.manifest, art.files, input, { queue: { url: redis.url, attempts: 2 } })).rejects.toMatchObject({
        code: "QUEUE",
        message: expect.stringContaining(`kernel ${name}: all 2 results the workers sent were rejected`),
      });
      // the jobs of the failed runs' other kernels may still be finishing: their keys go with their runs
      for (let i = 0; i < 50 && (await runKeys()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await runKeys()).toEqual([]);
    }, 60_000);
  });

  it("`zkc prove --queue --store DIR` with a `zkc worker`: the same proof.bin, and the worker stops on SIGTERM", async () => {
    const store = join(work, "store");
    // BullMQ's stalled check is shared by the queue's workers: a long interval here would delay the next test's
    const w = workerChild(["--store", store, "--stalled-interval", "500"]);
    const out = join(work, "proof-cli.bin");
    try {
      await w.saw(/waiting for kernel jobs/);
      const r = await zkc(["prove", "--dir", indep, "--input", join(work, "input.json"), "--out", out, "--queue", redis.url, "--store", store], work, 50_000);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/queued \d+ kernel jobs \(run [0-9a-f]+\); waiting for workers/);
      expect(Buffer.from(readFileSync(out)).equals(Buffer.from(localBin))).toBe(true);
      expect(w.out()).toMatch(/done in/);
      // the run's directory is removed at the end
      expect(readdirSync(store)).toEqual([]);
      w.child.kill("SIGTERM");
      expect(await w.exited).toBe(0);
      expect(w.out()).toMatch(/SIGTERM: finishing the active jobs/);
    } finally {
      w.child.kill("SIGKILL");
    }
  }, 60_000);

  it("a `zkc worker` killed mid-job: its job is retried by another worker and the proof is the same", async () => {
    const w = workerChild(["--lock-duration", "1500", "--stalled-interval", "500"]);
    try {
      await w.saw(/waiting for kernel jobs/);
      const proving = prove(art.manifest, art.files, input, { queue: { url: redis.url } });
      await w.saw(/started/);
      w.child.kill("SIGKILL");
      await w.exited;
      // it died before finishing anything: only the stalled-job check can bring its job back
      expect(w.out()).not.toMatch(/done in/);
      await worker();
      const b = await proving;
      expect(Buffer.from(bin(b)).equals(Buffer.from(localBin))).toBe(true);
      expect(await runKeys()).toEqual([]);
    } finally {
      w.child.kill("SIGKILL");
      await closeWorkers();
    }
  }, 60_000);

  it("Redis dying mid-run or not answering: a clear QUEUE error, no proof file, and the worker stops", async () => {
    const [doomed, doomedToo] = await Promise.all([startRedis(), startRedis()]);
    const out = join(work, "proof-lost.bin");
    const running = zkc(["prove", "--dir", indep, "--input", join(work, "input.json"), "--out", out, "--queue", doomed.url], work, 50_000);
    // a worker of another server, which dies under it while it waits for jobs
    const w = workerChild([], doomedToo.url);
    // no workers here: the jobs wait; kill the server once the run has queued them
    const c = new Redis(doomed.url);
    for (let i = 0; i < 300 && (await c.keys("zkc:kernels:*-a0")).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    c.disconnect();
    await w.saw(/waiting for kernel jobs/);
    await Promise.all([doomed.kill(), doomedToo.kill()]);
    const r = await running;
    expect(r.code).toBe(2);
    expect(isCleanError(r)).toBe(true);
    expect(r.stderr).toMatch(/lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+/);
    expect(existsSync(out)).toBe(false);
    expect(await w.exited).toBe(2);
    expect(w.out()).toMatch(/zkc: error: lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+/);
    // nothing listens there any more
    await expect(prove(art.manifest, art.files, input, { queue: { url: doomed.url } })).rejects.toMatchObject({ code: "QUEUE", message: expect.stringContaining("cannot reach Redis at") });
  }, 60_000);

  it("a chained model with --queue: a usage error that says to compile with --linking independent", async () => {
    const r = await zkc(["prove", "--dir", chained, "--input", join(work, "input.json"), "--queue", redis.url], work, 30_000);
    expect(r.code).toBe(2);
    expect(isCleanError(r)).toBe(true);
    expect(r.stderr).toContain("--linking independent");
    expect(existsSync(join(chained, "proof.bin"))).toBe(false);
    const c = openArtifacts(chained);
    await expect(prove(c.manifest, c.files, input, { queue: { url: redis.url } })).rejects.toMatchObject({ code: "USAGE" });
    expect(readFileSync(join(chained, "manifest.json"), "utf8")).toContain('"kernels"');
  }, 60_000);
});
