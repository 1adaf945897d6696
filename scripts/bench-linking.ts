/**
 * Chained against independent linking on the fixtures: prove time (median of runs), verify time
 * and proof size, in one process per model. `npm run bench:linking [-- --runs N] [--models a,b]`.
 * Numbers go into docs/parallel-proving.md.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terminateWorkers } from "../toolchain/workers.js";
import { compile, prove, verify } from "../toolchain/api.js";
import { serializeProofBinary } from "../runtime/proof-binary.js";
import { defaultVerifiers } from "../backends/verifiers.js";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] ?? 3) || 3;
const models = (args.includes("--models") ? args[args.indexOf("--models") + 1]! : "mlp,lenet,transformer").split(",");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cacheDir = mkdtempSync(join(tmpdir(), "zkc-bench-linking-"));
try {
  console.log("| model | linking | kernels | boundary tensors | prove (median) | verify | proof.bin |");
  console.log("|---|---|---|---|---|---|---|");
  for (const name of models) {
    const model = new URL(`../fixtures/${name}.onnx`, import.meta.url).pathname;
    const input = new URL(`../fixtures/${name}.input.json`, import.meta.url).pathname;
    for (const [linking, workers] of [["chain", 1], ["independent", 1], ["independent", 2]] as const) {
      const art = await compile(model, { calibrate: new URL(`../fixtures/${name}.input.json`, import.meta.url).pathname, backend: "gkr", linking, cacheDir });
      const times: number[] = [];
      let last: Awaited<ReturnType<typeof prove>> | undefined;
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        last = await prove(art, input, workers > 1 ? { workers } : {});
        times.push((performance.now() - t0) / 1000);
      }
      const t1 = performance.now();
      const v = await verify(art, last!.proof);
      const verifyS = (performance.now() - t1) / 1000;
      if (!v.ok) throw new Error(`${name} ${linking}: ${v.reason}`);
      const b = last!.proof.boundary ?? [];
      const size = serializeProofBinary(last!.proof, defaultVerifiers).length;
      console.log(`| ${name} | ${linking}${workers > 1 ? `, ${workers} workers` : ""} | ${art.manifest.kernels.length} | ${b.length} | ${median(times).toFixed(2)} s | ${verifyS.toFixed(2)} s | ${(size / 1024).toFixed(0)} KiB |`);
    }
  }
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
  await terminateWorkers();
}
