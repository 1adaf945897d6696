import type { CommandModule } from "yargs";
import { ZkcError } from "../../compiler/errors.js";
import type { AccuracyReport } from "../../compiler/quant/accuracy.js";
import { compile, type CompileWarning } from "../../toolchain/api.js";
import { defaultBackends } from "../../backends/registry.js";
import { hookInterrupts } from "../artifacts.js";
import { parseInputShapes } from "../model-input.js";
import { progress } from "../progress.js";
import { short, table } from "../table.js";

interface Args {
  model: string;
  dir: string;
  calibrate?: string;
  backend: string;
  "input-visibility": "public" | "hashed";
  "output-visibility": "public" | "hashed";
  ptau?: string;
  "insecure-dev-setup": boolean;
  scale?: number;
  "param-scale"?: number;
  target: number;
  "input-shape"?: string[];
  quiet: boolean;
  linking: "chain" | "independent";
}

/** The accuracy report as printed at compile time. */
export function accuracyTable(cal: { accuracy: AccuracyReport; searchLimit?: number }): string {
  return table(
    ["output", "max abs error", "mean rel error", cal.searchLimit !== undefined ? `rel L2 (worst; limit ${short(cal.searchLimit)})` : "rel L2 (worst)", "argmax agreement"],
    cal.accuracy.outputs.map((o) => [o.name, short(o.maxAbsError), short(o.meanRelError), short(o.worstRelL2), `${(o.argmaxAgreement * 100).toFixed(1)}%`]),
  );
}

export const compileCommand: CommandModule<object, Args> = {
  command: "compile <model>",
  describe: "quantise a model, plan its kernels, build circuits and keys into an artifacts directory",
  builder: (y) =>
    y
      .positional("model", { type: "string", demandOption: true, describe: "path to model.onnx" })
      .option("dir", { type: "string", default: "zkc-out", describe: "artifacts directory" })
      .option("calibrate", { type: "string", describe: "calibration inputs: one input JSON object or an array of them" })
      .option("backend", {
        choices: ["auto", ...defaultBackends.names()],
        default: "auto",
        describe: `auto: the cheaper proof system per kernel; ${defaultBackends.list().map((b) => `${b.name}: ${b.summary}`).join("; ")}`,
      })
      .option("input-visibility", { choices: ["public", "hashed"] as const, default: "public" as const })
      .option("output-visibility", { choices: ["public", "hashed"] as const, default: "public" as const })
      .option("ptau", { type: "string", describe: "prepared powers-of-tau file (a public ceremony) for the Groth16 keys; default: a local ceremony with fresh random secrets" })
      .option("insecure-dev-setup", {
        type: "boolean",
        default: false,
        describe: "INSECURE, tests only: Groth16 keys from the public-seed development setup; anyone can forge proofs, and verifiers refuse them by default",
      })
      .option("scale", { type: "number", describe: "fix the fixed-point scale (bits after the point) instead of searching" })
      .option("param-scale", { type: "number", describe: "fix the weights' scale instead of per-tensor scales" })
      .option("target", { type: "number", default: 1e-2, describe: "accuracy target: relative L2 error of every output" })
      .option("input-shape", { type: "string", array: true, describe: "fix a symbolic input shape: NAME=D1,D2,..." })
      .option("quiet", { type: "boolean", default: false, describe: "print no progress lines" })
      .option("linking", {
        choices: ["chain", "independent"] as const,
        default: "chain" as const,
        describe: "chain: one transcript, claims flow kernel to kernel; independent: each kernel on its own transcript from one root (parallelisable; commits the tensors between kernels)",
      }) as never,
  handler: async (args) => {
    for (const [flag, v] of [["--scale", args.scale], ["--param-scale", args["param-scale"]]] as const) {
      if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 24)) {
        throw new ZkcError("USAGE", `${flag} must be an integer from 0 to 24`, { got: String(v) });
      }
    }
    if (args.ptau && args["insecure-dev-setup"]) {
      throw new ZkcError("USAGE", "--ptau and --insecure-dev-setup exclude each other", { hint: "drop --insecure-dev-setup to build keys on the ceremony file" });
    }
    if (!(args.target > 0)) throw new ZkcError("USAGE", "--target must be a positive number", { got: String(args.target) });
    // fail before the (slow) calibration: compileModel refuses this combination too
    if (defaultBackends.find(args.backend)?.wholeModel && (args["input-visibility"] === "hashed" || args["output-visibility"] === "hashed")) {
      throw new ZkcError("USAGE", `whole-model mode (--backend ${args.backend}) proves public inputs and outputs`, { hint: "use --backend auto for hashed visibility" });
    }
    // the flag-specific wording of the API's warnings (the API names its options instead)
    const cliWarning = (w: CompileWarning): string =>
      w.code === "random-calibration"
        ? "no --calibrate data: calibrating on random inputs in [-1, 1]; pass representative inputs for accurate scales"
        : w.code === "development-ptau"
          ? "--insecure-dev-setup: the Groth16 keys come from the public-seed development setup; anyone can forge proofs, and zkc verify refuses them without --allow-insecure-dev-keys"
          : w.message;
    const deferred: string[] = [];
    const bar = progress({ quiet: args.quiet });
    const shapes = parseInputShapes(args["input-shape"]);
    const compiled = await compile(args.model, {
      dir: args.dir,
      ...(args.calibrate ? { calibrate: args.calibrate } : {}),
      ...(args.scale !== undefined ? { scale: args.scale } : {}),
      ...(args["param-scale"] !== undefined ? { paramScale: args["param-scale"] } : {}),
      target: args.target,
      ...(shapes ? { inputShape: shapes } : {}),
      backend: args.backend,
      inputVisibility: args["input-visibility"],
      outputVisibility: args["output-visibility"],
      ...(args.ptau ? { ptau: args.ptau } : {}),
      ...(args["insecure-dev-setup"] ? { insecureDevSetup: true } : {}),
      ...(args.linking === "independent" ? { linking: "independent" as const } : {}),
      onWarning: (w) => {
        // printed after the plan, where the user reads about keys
        if (w.code === "development-ptau") deferred.push(cliWarning(w));
        else console.error(`warning: ${cliWarning(w)}`);
      },
      onProgress: (p) => {
        if (p.phase === "calibrate" && p.quantisation) {
          const q = p.quantisation;
          const s = q.config.activationScale;
          console.log(`quantisation: scale 2^${s} for inputs and activations, ${q.config.paramBits !== undefined ? `weights at ${q.config.paramBits} bits each` : `weights at scale 2^${q.config.paramScale}`}`);
          // the limit the search applied, in the same words as the warning and the table header
          console.log(`  target rel L2 ${short(q.target)}: a scale is kept when its worst rel L2 on the calibration samples is at most ${short(q.searchLimit)} (a ${short(q.target / q.searchLimit)}× margin for new inputs)`);
          console.log(`  tried: ${q.tried.map((t) => `2^${t.scale} (rel L2 ${short(t.relL2)}${t.met ? ", within the limit" : ""})`).join(", ")}`);
          for (const n of q.notes) console.error(`note: ${n}`);
          console.log(`accuracy against float on ${q.accuracy.samples} calibration samples (${q.samples.given} given, ${q.samples.synthetic} synthetic):\n${accuracyTable(q)}`);
        } else if (p.phase === "build") {
          bar.update(p.step, p.done, p.total);
        } else if (p.phase === "write") {
          // Ctrl-C while writing removes the unfinished directory
          hookInterrupts();
        }
      },
    });
    bar.finish();

    console.log(`plan (${compiled.plan.length} kernels):`);
    console.log(
      table(
        ["kernel", "ops", "shapes", "backend", "est. prove", "est. memory", "reason"],
        compiled.plan.map((r) => [r.kernel, r.ops, r.shapes, r.backend, `${short(r.estimate.proveSeconds)} s`, `${short(r.estimate.memoryBytes / 2 ** 20)} MiB`, r.reason]),
      ),
    );
    for (const w of deferred) console.error(`warning: ${w}`);
    console.log(`wrote ${args.dir}/ (manifest.json and ${compiled.files.size - 1} more files)`);
  },
};
