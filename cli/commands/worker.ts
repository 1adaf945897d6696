import type { CommandModule } from "yargs";
import { ZkcError } from "../../compiler/errors.js";

interface Args {
  queue: string;
  concurrency: number;
  store?: string;
  "lock-duration": number;
  "stalled-interval": number;
  quiet: boolean;
}

const positiveInt = (name: string, v: number, max: number) => {
  if (!(Number.isInteger(v) && v >= 1 && v <= max)) throw new ZkcError("USAGE", `--${name} must be an integer from 1 to ${max}`, { got: String(v) });
};

export const workerCommand: CommandModule<object, Args> = {
  command: "worker",
  describe: "prove kernel jobs from a Redis queue for `zkc prove --queue` (models compiled with --linking independent)",
  builder: (y) =>
    y
      .option("queue", { type: "string", demandOption: true, describe: "the queue's Redis, redis://HOST:PORT" })
      .option("concurrency", { type: "number", default: 1, describe: "kernel jobs proven at once, each on a thread of its own" })
      .option("store", { type: "string", describe: "the directory shared with coordinators that were given --store DIR (otherwise files come from Redis)" })
      .option("lock-duration", { type: "number", default: 30_000, describe: "ms a job stays locked without renewal: a dead worker's job is retried elsewhere after it" })
      .option("stalled-interval", { type: "number", default: 30_000, describe: "ms between this worker's checks for stalled jobs" })
      .option("quiet", { type: "boolean", default: false, describe: "print no progress lines" }) as never,
  handler: async (args) => {
    positiveInt("concurrency", args.concurrency, 64);
    positiveInt("lock-duration", args["lock-duration"], 3_600_000);
    positiveInt("stalled-interval", args["stalled-interval"], 3_600_000);
    const { loadQueueModule } = await import("../../runtime/queue/options.js");
    const { startQueueWorker } = await loadQueueModule(() => import("../../runtime/queue/worker.js"));
    const worker = await startQueueWorker({
      url: args.queue,
      concurrency: args.concurrency,
      ...(args.store !== undefined ? { storeDir: args.store } : {}),
      lockDuration: args["lock-duration"],
      stalledInterval: args["stalled-interval"],
      log: args.quiet ? undefined : (line) => console.log(line),
    });
    // graceful stop: no new jobs, the active ones finish (a second signal stops at once)
    const stopped = new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        console.error(`zkc worker: ${signal}: finishing the active jobs, then stopping (again to stop at once)`);
        process.once(signal, () => process.exit(130));
        void worker.close().then(resolve);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    try {
      await Promise.race([stopped, worker.lost]);
    } catch (e) {
      // Redis is gone: the active jobs could not report back anyway
      await worker.close(true);
      throw e;
    }
  },
};
