/**
 * Queue proving against in-process proving: one model (independent linking, all GKR), proved in
 * this process, then through `zkc prove --queue`'s code with N `zkc worker` processes on this
 * machine and a redis-server of its own. Wall time of each prove (the first queue prove includes
 * the workers loading the model), the proofs compared byte for byte.
 * `npm run bench:queue [-- --model lenet] [--workers 2] [--runs 3]`; numbers go into
 * docs/parallel-proving.md. Needs redis-server on PATH.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { terminateWorkers } from "../toolchain/workers.js";
import { compile, prove, verify } from "../toolchain/api.js";
import { serializeProofBinary } from "../runtime/proof-binary.js";
import { defaultVerifiers } from "../backends/verifiers.js";
import { hasRedisServer, startRedis } from "../test/queue/redis.js";

const args = process.argv.slice(2);
const opt = (name: string, def: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : def);
const name = opt("model", "lenet");
const workerCount = Number(opt("workers", "2"));
const runs = Number(opt("runs", "3"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
if (!hasRedisServer) throw new Error("redis-server is not on PATH");

const cacheDir = mkdtempSync(join(tmpdir(), "zkc-bench-queue-"));
const redis = await startRedis();
const zkc = fileURLToPath(new URL("../cli/zkc.js", import.meta.url));
const children: ChildProcess[] = [];
try {
  const model = new URL(`../fixtures/${name}.onnx`, import.meta.url).pathname;
  const input = new URL(`../fixtures/${name}.input.json`, import.meta.url).pathname;
  const art = await compile(model, { calibrate: input, backend: "gkr", linking: "independent", cacheDir });
  const bytes = (p: Awaited<ReturnType<typeof prove>>) => Buffer.from(serializeProofBinary(p.proof, defaultVerifiers));
  const timed = async (queue: boolean) => {
    const t0 = performance.now();
    const p = await prove(art, input, queue ? { queue: { url: redis.url } } : {});
    return { seconds: (performance.now() - t0) / 1000, p };
  };
  const local: number[] = [];
  let reference: Buffer | undefined;
  for (let r = 0; r < runs; r++) {
    const { seconds, p } = await timed(false);
    local.push(seconds);
    reference = bytes(p);
  }
  for (let w = 0; w < workerCount; w++) {
    const child = spawn(process.execPath, [zkc, "worker", "--queue", redis.url], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    await new Promise<void>((resolve) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("waiting for kernel jobs")) resolve();
      });
    });
  }
  const queued: number[] = [];
  let last: Awaited<ReturnType<typeof prove>> | undefined;
  for (let r = 0; r <= runs; r++) {
    const { seconds, p } = await timed(true);
    queued.push(seconds);
    last = p;
    if (!bytes(p).equals(reference!)) throw new Error("the queue's proof differs from the in-process one");
  }
  const v = await verify(art, last!.proof);
  if (!v.ok) throw new Error(v.reason);
  console.log(`| model | kernels | in process (median of ${runs}) | ${workerCount} queue workers, first prove | ${workerCount} queue workers (median of ${runs} more) |`);
  console.log("|---|---|---|---|---|");
  console.log(`| ${name} | ${art.manifest.kernels.length} | ${median(local).toFixed(2)} s | ${queued[0]!.toFixed(2)} s | ${median(queued.slice(1)).toFixed(2)} s |`);
  console.log(`proofs byte-identical; in process ${local.map((s) => s.toFixed(2)).join(", ")} s; queue ${queued.map((s) => s.toFixed(2)).join(", ")} s`);
} finally {
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
  await redis.kill();
  rmSync(cacheDir, { recursive: true, force: true });
  await terminateWorkers();
}
