/**
 * The coordinator of a queue prove (`zkc prove --queue redis://HOST:PORT`, `prove({ queue })`):
 * the kernel phase of an independent plan (runtime/prove.ts `proveIndependent`) on BullMQ workers.
 *
 * One prove is one run (a random id). Its model files and the kernels' tensors go into the run's
 * blob store once each (store.ts); every kernel becomes one job on the shared kernel queue, named
 * `<run>-k<kernel>-a<try>` and carrying digests only (protocol.ts). The coordinator waits for each
 * job through BullMQ's queue events, fetches the result from the store, and checks the kernel's
 * proof itself before it is accepted (`check`: the backend verifier against the coordinator's own
 * claims). A rejected result is re-queued as the kernel's next try; a job whose worker died is
 * retried by BullMQ's stalled-job handling; a job that fails its attempts, or a kernel whose tries
 * are all rejected, ends the prove with a QUEUE error naming the kernel. At the end (success or
 * not) the run's jobs and blobs are removed.
 *
 * Plain jobs and queue events rather than a BullMQ flow: assembly needs every child's result
 * checked on the coordinator (where the witness and the boundary commitments are), and a rejected
 * child must be replaced, which a flow's parent cannot express.
 */
import { randomUUID } from "node:crypto";
import { Queue, QueueEvents, type Job } from "bullmq";
import type { QueueProveOptions, QueueStats } from "./options.js";
export type { QueueProveOptions, QueueStats } from "./options.js";
import type { Redis } from "ioredis";
import { ZkcError } from "../../compiler/errors.js";
import { decodeValue } from "../link/codec.js";
import type { KernelTaskResult } from "../kernel-task.js";
import type { KernelTask } from "../pool/pool.js";
import { QUEUE_NAME, QUEUE_PREFIX, connectRedis, connectionOptions, jobData, jobId, putModelFiles, shownUrl, type QueueJobData, type QueueJobResult } from "./protocol.js";
import { DirBlobStore, RedisBlobStore, type BlobStore } from "./store.js";

/** Options of a queue prove. */
/** A check of a worker's result: the result to assemble (derived claims), or why it is refused. */
export type ResultCheck = (index: number, result: KernelTaskResult) => Promise<{ ok: true; result: KernelTaskResult } | { ok: false; reason: string }>;

const CLOSE_TIMEOUT_MS = 3000;

/** Resolves when `p` settles or after `ms` (cleanup must not hang on a dead connection). */
const settled = (p: Promise<unknown>, ms = CLOSE_TIMEOUT_MS): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    p.then(
      () => (clearTimeout(t), resolve()),
      () => (clearTimeout(t), resolve()),
    );
  });

/** Decode a stored result; undefined when it is not a result's shape (then rejected). */
function decodeResult(bytes: Uint8Array): KernelTaskResult | undefined {
  try {
    const r = decodeValue(JSON.parse(new TextDecoder().decode(bytes))) as KernelTaskResult;
    return r && typeof r === "object" && r.section && typeof r.section === "object" && !Array.isArray(r.section) ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Prove the kernels `order` through the queue.
 * @param tasks the task of kernel i (as the worker pool would run it)
 * @param check verifies a result before it is recorded
 * @param record takes an accepted result
 * @throws ZkcError QUEUE for an unreachable or lost Redis and a kernel that exhausted its tries
 */
export async function proveOnQueue(
  opts: QueueProveOptions,
  order: readonly number[],
  names: readonly string[],
  tasks: (i: number) => KernelTask,
  check: ResultCheck,
  record: (i: number, r: KernelTaskResult, seconds: number) => void,
): Promise<QueueStats> {
  const attempts = opts.attempts ?? 3;
  if (!(Number.isInteger(attempts) && attempts >= 1 && attempts <= 100)) throw new ZkcError("USAGE", "queue attempts must be an integer from 1 to 100", { got: String(attempts) });
  const run = randomUUID().replace(/-/g, "").slice(0, 16);
  let lose!: (e: ZkcError) => void;
  let isLost = false;
  const lost = new Promise<never>((_, reject) => (lose = (e) => ((isLost = true), reject(e))));
  lost.catch(() => {});
  const hint = "the run's jobs and files were removed when possible; start Redis (and the workers) and prove again";
  const redis: Redis = await connectRedis(opts.url, (reason) => lose(new ZkcError("QUEUE", reason, { hint })));
  const store: BlobStore = opts.store !== undefined ? new DirBlobStore(opts.store, run) : new RedisBlobStore(redis, run);
  const kind = opts.store !== undefined ? "dir" : "redis";
  const connection = connectionOptions(opts.url);
  const queue = new Queue(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
  const events = new QueueEvents(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
  // their connection errors are reported through `lost`; unhandled 'error' events would crash the process
  queue.on("error", () => {});
  events.on("error", () => {});
  const ids: string[] = [];
  const stats: QueueStats = { run, jobs: 0, rejected: [] };
  const lostOr = <T>(p: Promise<T>): Promise<T> => Promise.race([p, lost]);
  try {
    await lostOr(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]));
    await lostOr(store.open());
    const first = tasks(order[0]!);
    const fileDigests = await lostOr(putModelFiles(first.model, store));
    const datas = new Map<number, QueueJobData>();
    for (const i of order) datas.set(i, await lostOr(jobData(i === order[0] ? first : tasks(i), run, store, kind, fileDigests, names[i]!, 0)));
    const enqueue = async (data: QueueJobData) => {
      const id = jobId(run, data.kernel, data.attempt);
      ids.push(id);
      stats.jobs++;
      // finished jobs are removed at the run's end; the age limits catch those of a run that died
      const keep = { age: 3600 };
      return queue.add(data.name, data, { jobId: id, attempts, backoff: { type: "fixed", delay: 200 }, removeOnComplete: keep, removeOnFail: keep }) as Promise<Job<QueueJobData, QueueJobResult>>;
    };
    const jobs = new Map<number, Job<QueueJobData, QueueJobResult>>();
    for (const i of order) jobs.set(i, await lostOr(enqueue(datas.get(i)!)));
    opts.onQueued?.(run, order.length);
    const kernel = async (i: number): Promise<void> => {
      let job = jobs.get(i)!;
      for (let attempt = 0; ; ) {
        const started = Date.now();
        let out: QueueJobResult;
        try {
          out = await job.waitUntilFinished(events);
        } catch (e) {
          throw new ZkcError("QUEUE", `kernel ${names[i]}: its job failed on every one of its ${attempts} attempts: ${(e as Error).message}`, { hint: "see the workers' output for the cause" });
        }
        // the result's name and bytes are the worker's word: anything wrong with them is a rejection
        const bytes = await store.get(String((out as Partial<QueueJobResult> | null)?.result)).catch((e: Error) => e);
        const result = bytes instanceof Error ? undefined : decodeResult(bytes);
        const verdict = result ? await check(i, result) : { ok: false as const, reason: bytes instanceof Error ? bytes.message : "the result is not a kernel result" };
        if (verdict.ok) {
          record(i, verdict.result, (Date.now() - started) / 1000);
          return;
        }
        stats.rejected.push({ kernel: names[i]!, attempt, reason: verdict.reason });
        if (++attempt >= attempts) throw new ZkcError("QUEUE", `kernel ${names[i]}: all ${attempts} results the workers sent were rejected; the last: ${verdict.reason}`, { hint: "a worker proves wrongly (a different zkc version, or a faulty or malicious machine)" });
        job = await enqueue({ ...datas.get(i)!, attempt });
      }
    };
    await lostOr(Promise.all(order.map(kernel)));
    return stats;
  } catch (e) {
    if (e instanceof ZkcError) throw e;
    // a command that failed because the connection dropped: say so
    throw new ZkcError("QUEUE", `the queue at ${shownUrl(opts.url)} failed: ${(e as Error).message}`, { hint });
  } finally {
    // with the connection gone, the run's keys cannot be removed (the blobs' TTL ends them)
    if (!isLost) await settled(Promise.all(ids.map((id) => queue.remove(id).catch(() => 0))));
    if (!isLost || kind === "dir") await settled(store.clear());
    await settled(Promise.all([events.close(), queue.close()]), isLost ? 500 : CLOSE_TIMEOUT_MS);
    redis.disconnect();
  }
}
