/**
 * A queue worker (`zkc worker --queue redis://HOST:PORT`): a BullMQ worker on the kernel queue that
 * proves each job's kernel on the worker pool (runtime/pool/: `concurrency` threads running the
 * pool's own kernel worker). A job names its model's files and its tensors by sha256; the worker
 * fetches them from the run's store (Redis keys, or the shared `--store` directory), checks every
 * digest, and keeps a model's files by manifest digest (the pool's threads keep the loaded model),
 * so the files of a model travel to a worker once. The result goes back into the store; the job
 * returns its digest. Proving off the main thread keeps BullMQ's lock renewals on time however
 * long a kernel takes. Node only.
 */
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { ZkcError } from "../../compiler/errors.js";
import { encodeValue, toHex } from "../link/codec.js";
import { manifestDigest, manifestJson, parseManifest } from "../manifest.js";
import { createKernelPool, type WorkerModel } from "../pool/pool.js";
import type { KernelTaskResult } from "../kernel-task.js";
import { QUEUE_NAME, QUEUE_PREFIX, connectRedis, connectionOptions, shownUrl, taskOfJob, type QueueJobData, type QueueJobResult } from "./protocol.js";
import { DirBlobStore, RedisBlobStore, type BlobStore } from "./store.js";

export interface QueueWorkerOptions {
  /** redis://HOST:PORT */
  url: string;
  /** jobs proven at once in this process, each on a thread of its own (default 1) */
  concurrency?: number;
  /** the shared store directory, for runs whose coordinator was given `--store DIR` */
  storeDir?: string;
  /** how long a job's lock lasts without renewal (ms, default 30000): a dead worker's job is retried after it */
  lockDuration?: number;
  /** how often this worker looks for stalled jobs (ms, default 30000) */
  stalledInterval?: number;
  /** how many times a job may stall before it fails (default 2) */
  maxStalledCount?: number;
  /** progress lines ("kernel … started", "… done") */
  log?: (line: string) => void;
  /**
   * Soundness tests only: change a result before it is returned (a malicious or broken worker);
   * throwing fails the job's attempt.
   */
  tamperResult?: (result: KernelTaskResult, job: QueueJobData) => KernelTaskResult | Promise<KernelTaskResult>;
}

export interface QueueWorker {
  /** stops taking jobs, lets the active ones finish (unless `force`), disconnects */
  close(force?: boolean): Promise<void>;
  /** rejects with a QUEUE error when the connection to Redis is lost for good */
  readonly lost: Promise<never>;
}

/** Start a worker; @throws ZkcError QUEUE when Redis does not answer at `url` */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const log = opts.log ?? (() => {});
  let lose!: (e: ZkcError) => void;
  const lost = new Promise<never>((_, reject) => (lose = reject));
  lost.catch(() => {});
  const redis: Redis = await connectRedis(opts.url, (reason) => lose(new ZkcError("QUEUE", reason, { hint: "restart the worker once Redis is back" })));
  const storeOf = (d: QueueJobData): BlobStore => {
    if (d.store === "redis") return new RedisBlobStore(redis, d.run);
    if (opts.storeDir === undefined) throw new ZkcError("USAGE", `kernel ${d.name}: the run keeps its files in a shared directory; start the worker with --store DIR`);
    return new DirBlobStore(opts.storeDir, d.run);
  };
  const pool = createKernelPool(opts.concurrency ?? 1);
  // model files by manifest digest: the last few models only
  const models = new Map<string, Promise<WorkerModel>>();
  const modelOf = (d: QueueJobData, store: BlobStore): Promise<WorkerModel> => {
    let m = models.get(d.manifest);
    if (!m) {
      m = (async () => {
        const manifest = parseManifest(JSON.parse(new TextDecoder().decode(await store.get(d.manifest))));
        if (toHex(manifestDigest(manifest)) !== d.manifest) throw new ZkcError("QUEUE", `kernel ${d.name}: the job's manifest does not have the digest it is named by`);
        const files: Record<string, Uint8Array> = {};
        for (const [name, digest] of Object.entries(d.files)) if (name !== "manifest.json") files[name] = await store.get(digest);
        return { manifest: manifestJson(manifest), files };
      })();
      models.set(d.manifest, m);
      m.catch(() => models.delete(d.manifest));
      if (models.size > 4) models.delete(models.keys().next().value!);
    }
    return m;
  };
  const processor = async (job: Job<QueueJobData, QueueJobResult>): Promise<QueueJobResult> => {
    const d = job.data;
    const started = Date.now();
    log(`kernel ${d.name}: started (run ${d.run}, try ${d.attempt + 1}, job ${job.id})`);
    const store = storeOf(d);
    if (!(await store.alive())) throw new UnrecoverableError(`kernel ${d.name}: run ${d.run} has ended`);
    const model = await modelOf(d, store);
    const task = await taskOfJob(d, store);
    let result = await pool.run({ model, ...task });
    if (opts.tamperResult) result = await opts.tamperResult(result, d);
    // a run that ended meanwhile (it failed) keeps no result: nothing is written after its cleanup
    if (!(await store.alive())) throw new UnrecoverableError(`kernel ${d.name}: run ${d.run} has ended; the result is dropped`);
    const digest = await store.put(new TextEncoder().encode(JSON.stringify(encodeValue(result))));
    log(`kernel ${d.name}: done in ${((Date.now() - started) / 1000).toFixed(2)} s (job ${job.id})`);
    return { result: digest };
  };
  const worker = new Worker<QueueJobData, QueueJobResult>(QUEUE_NAME, processor, {
    connection: connectionOptions(opts.url),
    prefix: QUEUE_PREFIX,
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockDuration ?? 30_000,
    stalledInterval: opts.stalledInterval ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 2,
  });
  worker.on("error", (e) => log(`queue error: ${e.message}`));
  worker.on("failed", (job, e) => log(`kernel ${job?.data.name ?? "?"}: failed (job ${job?.id}): ${e.message}`));
  try {
    await Promise.race([worker.waitUntilReady(), lost]);
  } catch (e) {
    await worker.close(true).catch(() => {});
    await pool.destroy();
    redis.disconnect();
    throw e;
  }
  log(`waiting for kernel jobs on ${shownUrl(opts.url)}`);
  let closing: Promise<void> | undefined;
  return {
    lost,
    close: (force = false) =>
      (closing ??= (async () => {
        await worker.close(force).catch(() => {});
        await pool.destroy();
        redis.disconnect();
      })()),
  };
}
