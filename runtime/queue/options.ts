/**
 * The queue's options and stats as plain types, apart from the code: importing them (the library's
 * types, prove's options) loads neither bullmq nor ioredis, which are optional peer dependencies
 * that only a queue prove or `zkc worker` needs (`loadQueueModule`).
 */
import { ZkcError } from "../../compiler/errors.js";

/** Where a prove's kernels go: `prove({ queue })`, `zkc prove --queue URL [--store DIR]`. */
export interface QueueProveOptions {
  /** redis://HOST:PORT */
  url: string;
  /** a directory shared with the workers for the run's files, instead of Redis keys */
  store?: string;
  /** tries per kernel: BullMQ attempts of one job, and results that may be rejected (default 3) */
  attempts?: number;
  /** called once every kernel job is queued */
  onQueued?: (run: string, jobs: number) => void;
}

/** What the queue did, for the prove's stats. */
export interface QueueStats {
  run: string;
  /** jobs queued, re-queued tries included */
  jobs: number;
  /** results the coordinator's check refused (each re-queued while tries were left) */
  rejected: { kernel: string; attempt: number; reason: string }[];
}

/** The packages queue proving needs, which zkc does not install by default. */
export const QUEUE_PACKAGES = ["bullmq@6", "ioredis@6"] as const;

/**
 * Loads a queue module (it imports bullmq and ioredis).
 * @throws ZkcError QUEUE naming the packages to install when they are missing
 */
export async function loadQueueModule<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if ((err.code === "ERR_MODULE_NOT_FOUND" || err.code === "MODULE_NOT_FOUND") && /\b(bullmq|ioredis)\b/.test(err.message ?? "")) {
      throw new ZkcError("QUEUE", "proving on a queue needs the packages bullmq and ioredis, which zkc does not install by default", {
        hint: `install them beside zkc: npm install ${QUEUE_PACKAGES.join(" ")}`,
      });
    }
    throw e;
  }
}
