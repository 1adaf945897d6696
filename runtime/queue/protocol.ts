/**
 * What travels through the proving queue (docs/parallel-proving.md, "The queue"): the BullMQ queue
 * every worker listens on, the connection to Redis, and a kernel job's data — a `KernelTask` with
 * every file and tensor replaced by the sha256 of its bytes in the run's blob store (store.ts).
 */
import type { RedisOptions } from "bullmq";
import { Redis } from "ioredis";
import { ZkcError } from "../../compiler/errors.js";
import { float64At, float64Bytes, toHex } from "../link/codec.js";
import type { KernelTask } from "../pool/pool.js";
import type { BlobStore } from "./store.js";

/** The BullMQ queue of kernel jobs and its key prefix: one queue for every run (jobs name their run). */
export const QUEUE_NAME = "kernels";
export const QUEUE_PREFIX = "zkc";

/** Where a job's blobs are: Redis keys of the queue's server, or a shared directory. */
export type StoreKind = "redis" | "dir";

/** A kernel job's data: plain JSON, every byte string by content digest. */
export interface QueueJobData {
  /** the prove run (namespaces its job ids and blobs) */
  run: string;
  store: StoreKind;
  /** the kernel's index and name */
  kernel: number;
  name: string;
  /** which try of this kernel (a rejected result is re-queued as the next one) */
  attempt: number;
  /** hex manifest digest = sha256 of the normalised manifest JSON, which is the manifest blob */
  manifest: string;
  /** the prover files by relative name */
  files: Record<string, string>;
  values: [string, string][];
  publicInputs: [string, string][];
  publicOutputs: [string, string][];
  /** decimal Poseidon commitments */
  commitments: [string, string][];
  /** the backend's committed message (JSON text), or null */
  committed: string | null;
  /** hex root and hex kernel transcript digest after commit */
  root: string;
  digest: string;
}

/** A kernel task without its model (which a worker keeps by manifest digest). */
export type KernelTaskData = Omit<KernelTask, "model">;

/** What a worker's job returns: the digest of its encoded `KernelTaskResult` in the store. */
export interface QueueJobResult {
  result: string;
}

/** Host and port of a `redis://HOST:PORT` URL. */
export function parseQueueUrl(url: string): { host: string; port: number; db: number; password?: string; username?: string } {
  const bad = () => new ZkcError("USAGE", `the queue is a Redis URL such as redis://127.0.0.1:6379, not "${url}"`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad();
  }
  if (u.protocol !== "redis:") throw bad();
  const port = u.port === "" ? 6379 : Number(u.port);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw bad();
  return {
    host: u.hostname || "127.0.0.1",
    port,
    db,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
  };
}

/** The URL without its password, for messages. */
export function shownUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, "//***@");
}

/**
 * Connection options of every client of a run: `maxRetriesPerRequest: null` (BullMQ's blocking
 * commands need it) and a bounded reconnection (a few seconds), after which the client ends and
 * the run fails with a QUEUE error instead of waiting forever.
 */
export function connectionOptions(url: string, reconnectTries = 5): RedisOptions {
  return {
    ...parseQueueUrl(url),
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => (times > reconnectTries ? null : Math.min(100 * 2 ** times, 1000)),
  };
}

/**
 * A connected client, or a QUEUE error naming the URL when the server does not answer.
 * @param onLost called once when the connection is lost for good (reconnection given up)
 */
export async function connectRedis(url: string, onLost?: (reason: string) => void): Promise<Redis> {
  const redis = new Redis({ ...connectionOptions(url), lazyConnect: true, connectTimeout: 3000 });
  let lastError = "";
  redis.on("error", (e: Error) => (lastError = e.message));
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new ZkcError("QUEUE", `cannot reach Redis at ${shownUrl(url)}: ${lastError || (e as Error).message}`, { hint: "start redis-server there, or check the --queue URL" });
  }
  redis.once("end", () => onLost?.(`lost the connection to Redis at ${shownUrl(url)}${lastError ? ` (${lastError})` : ""}`));
  return redis;
}

/** Job id of a kernel's try (BullMQ ids may not contain ":"). */
export function jobId(run: string, kernel: number, attempt: number): string {
  return `${run}-k${kernel}-a${attempt}`;
}

/** Puts a task's files and tensors into the store (each once) and gives the job's data. */
export async function jobData(task: KernelTask, run: string, store: BlobStore, kind: StoreKind, fileDigests: Record<string, string>, name: string, attempt: number): Promise<QueueJobData> {
  const tensors = async (list: [string, Float64Array][]): Promise<[string, string][]> => Promise.all(list.map(async ([n, v]) => [n, await store.put(float64Bytes(v))] as [string, string]));
  return {
    run,
    store: kind,
    kernel: task.index,
    name,
    attempt,
    manifest: fileDigests["manifest.json"]!,
    files: fileDigests,
    values: await tensors(task.values),
    publicInputs: await tensors(task.publicInputs),
    publicOutputs: await tensors(task.publicOutputs),
    commitments: task.commitments.map(([n, c]) => [n, c.toString()]),
    committed: task.committed === null ? null : await store.put(new TextEncoder().encode(task.committed)),
    root: toHex(task.root),
    digest: toHex(task.digest),
  };
}

/** Puts the model's manifest (as "manifest.json") and prover files into the store. */
export async function putModelFiles(model: KernelTask["model"], store: BlobStore): Promise<Record<string, string>> {
  const out: Record<string, string> = { "manifest.json": await store.put(new TextEncoder().encode(JSON.stringify(model.manifest))) };
  for (const [n, bytes] of Object.entries(model.files)) out[n] = await store.put(bytes);
  return out;
}

/** The task of a job, its tensors fetched from the store and checked. */
export async function taskOfJob(data: QueueJobData, store: BlobStore): Promise<KernelTaskData> {
  const tensors = async (list: [string, string][]): Promise<[string, Float64Array][]> =>
    Promise.all(
      list.map(async ([n, d]) => {
        const bytes = await store.get(d);
        return [n, float64At(bytes, 0, bytes.length >> 3)] as [string, Float64Array];
      }),
    );
  return {
    index: data.kernel,
    values: await tensors(data.values),
    publicInputs: await tensors(data.publicInputs),
    publicOutputs: await tensors(data.publicOutputs),
    commitments: data.commitments.map(([n, c]) => [n, BigInt(c)]),
    committed: data.committed === null ? null : new TextDecoder().decode(await store.get(data.committed)),
    root: new Uint8Array(Buffer.from(data.root, "hex")),
    digest: new Uint8Array(Buffer.from(data.digest, "hex")),
  };
}

