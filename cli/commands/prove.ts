import { statSync } from "node:fs";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import { ZkcError } from "../../compiler/errors.js";
import { prove } from "../../runtime/prove.js";
import { serializeProof } from "../../runtime/proof.js";
import { serializeProofBinary } from "../../runtime/proof-binary.js";
import { defaultBackends } from "../../backends/registry.js";
import { parseInputs } from "../../runtime/inputs.js";
import { readJsonFile, writeFileAtomic } from "../artifacts.js";
import { openArtifacts } from "../artifacts-read.js";
import { stepsDone } from "../progress.js";
import { preview } from "../table.js";

interface Args {
  input: string;
  dir: string;
  out?: string;
  clamp: boolean;
  quiet: boolean;
  json: boolean;
  workers: number;
  queue?: string;
  store?: string;
}

export const proveCommand: CommandModule<object, Args> = {
  command: "prove",
  describe: "prove one inference of a compiled model",
  builder: (y) =>
    y
      .option("input", { type: "string", demandOption: true, describe: 'input JSON: {"input_data": [[...]]} or {"<input name>": [...]}' })
      .option("dir", { type: "string", default: "zkc-out", describe: "artifacts directory of zkc compile" })
      .option("out", { type: "string", describe: "where to write the proof (default <dir>/proof.bin, or <dir>/proof.json with --json)" })
      .option("json", { type: "boolean", default: false, describe: "write the proof as JSON (proof.json) instead of the compact binary form; also chosen by an --out ending in .json" })
      .option("clamp", {
        type: "boolean",
        default: false,
        describe: "saturate input values outside the calibrated range at its bound (with a warning, recorded in the proof) instead of refusing them",
      })
      .option("quiet", { type: "boolean", default: false, describe: "print no progress lines" })
      .option("workers", {
        type: "number",
        default: 1,
        describe: "worker threads for the kernels of a model compiled with --linking independent (the proof is the same for any number)",
      })
      .option("queue", {
        type: "string",
        describe: "prove the kernels of a model compiled with --linking independent on `zkc worker` processes through this Redis, redis://HOST:PORT (the proof is the same)",
      })
      .option("store", { type: "string", describe: "with --queue: pass the model's files and tensors through this directory shared with the workers instead of Redis" }) as never,
  handler: async (args) => {
    if (!(Number.isInteger(args.workers) && args.workers >= 1 && args.workers <= 64)) throw new ZkcError("USAGE", "--workers must be an integer from 1 to 64", { got: String(args.workers) });
    if (args.store !== undefined && args.queue === undefined) throw new ZkcError("USAGE", "--store goes with --queue");
    if (args.queue !== undefined && args.workers > 1) throw new ZkcError("USAGE", "--queue and --workers do not go together: the queue's workers prove the kernels");
    const art = openArtifacts(args.dir);
    const infos = art.manifest.quantisation.inputs.map((e) => ({ name: e.onnxName, shape: e.shape }));
    const values = parseInputs(readJsonFile(args.input, "input file"), infos, args.input);
    const bar = stepsDone({ quiet: args.quiet });
    const t0 = Date.now();
    let bundle: Awaited<ReturnType<typeof prove>>;
    try {
      bundle = await prove(art.manifest, art.files, values, {
        clamp: args.clamp,
        ...(args.workers > 1 ? { workers: args.workers } : {}),
        ...(args.queue !== undefined
          ? {
              queue: {
                url: args.queue,
                ...(args.store !== undefined ? { store: args.store } : {}),
                onQueued: (run: string, jobs: number) => {
                  if (!args.quiet) console.error(`queued ${jobs} kernel jobs (run ${run}); waiting for workers`);
                },
              },
            }
          : {}),
        // each event reports a finished step with its own duration ("done" ends the walk: no line)
        onProgress: (p) => {
          if (p.seconds === undefined) return;
          if (p.phase === "kernel") bar.done(`kernel ${p.kernel} (${p.backend})`, p.seconds, { done: p.done, total: p.total });
          else bar.done(p.phase, p.seconds);
        },
      });
    } catch (e) {
      bar.finish();
      // bad values are in the user's input file: name it
      throw e instanceof ZkcError && e.code === "INPUT" ? e.withDetails({ file: args.input }) : e;
    }
    bar.finish();
    for (const w of bundle.warnings ?? []) console.error(`warning: ${w}`);
    for (const r of bundle.stats.queue?.rejected ?? []) console.error(`warning: a worker's proof of kernel ${r.kernel} (try ${r.attempt + 1}) was rejected and the kernel proven again: ${r.reason}`);
    // binary by default (a third to a half of the JSON's size); JSON when asked for by flag or file name
    const json = args.json || (args.out?.toLowerCase().endsWith(".json") ?? false);
    const out = args.out ?? join(args.dir, json ? "proof.json" : "proof.bin");
    const { stats, ...proofOnly } = bundle;
    writeFileAtomic(out, json ? serializeProof(proofOnly) : serializeProofBinary(proofOnly, defaultBackends));
    // measured per-kernel times for `zkc inspect`
    writeFileAtomic(join(args.dir, "prove-stats.json"), JSON.stringify(stats, null, 2));
    console.log(`proved in ${((Date.now() - t0) / 1000).toFixed(2)} s; wrote ${out} (${(statSync(out).size / 1024).toFixed(1)} KiB)`);
    for (const o of bundle.outputs) {
      const shown = o.floats ? preview(o.floats) : `(hashed)`;
      console.log(`  ${o.onnxName}: ${shown}`);
    }
  },
};
