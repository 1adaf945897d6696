import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { CommandModule } from "yargs";
import { ZkcError } from "../../compiler/errors.js";
import { type CalibrationResult, calibrateAsync, randomSamples } from "../../compiler/quant/calibrate.js";
import { compileModel } from "../../toolchain/compile.js";
import { serializeManifest } from "../../runtime/manifest.js";
import { defaultBackends } from "../../backends/registry.js";
import { parseSamples } from "../../runtime/inputs.js";
import { readInputFile, readJsonFile, writeDirAtomic } from "../artifacts.js";
import { loadModel, toFeeds } from "../model-input.js";
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
}

/** The accuracy report as printed at compile time. */
export function accuracyTable(cal: CalibrationResult): string {
  return table(
    ["output", "max abs error", "mean rel error", "rel L2 (worst)", "argmax agreement"],
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
      .option("input-shape", { type: "string", array: true, describe: "fix a symbolic input shape: NAME=D1,D2,..." }) as never,
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
    const modelBytes = readInputFile(args.model, "model file");
    const graph = loadModel(args.model, args["input-shape"]);
    for (const w of graph.warnings) console.error(`warning: ${w}`);

    let given: ReturnType<typeof toFeeds>[] = [];
    if (args.calibrate) {
      given = parseSamples(readJsonFile(args.calibrate, "calibration file"), graph.inputs, args.calibrate).map((v) => toFeeds(graph, v));
    } else {
      console.error("warning: no --calibrate data: calibrating on random inputs in [-1, 1]; pass representative inputs for accurate scales");
    }
    const samples = [...given, ...randomSamples(graph, 16, 1, given)];
    // float values from onnxruntime-node when installed (a dev dependency), else the interpreter
    const cal = await calibrateAsync(graph, samples, {
      targetRelL2: args.target,
      userSamples: given.length,
      ...(args.scale !== undefined ? { scale: args.scale } : {}),
      ...(args["param-scale"] !== undefined ? { paramScale: args["param-scale"] } : {}),
    });
    const s = cal.config.activationScale;
    console.log(`quantisation: scale 2^${s} for inputs and activations, ${cal.config.paramBits !== undefined ? `weights at ${cal.config.paramBits} bits each` : `weights at scale 2^${cal.config.paramScale}`}`);
    console.log(`  tried: ${cal.tried.map((t) => `2^${t.scale} (rel L2 ${short(t.relL2)}${t.met ? ", met" : ""})`).join(", ")}`);
    for (const n of cal.notes) console.error(`note: ${n}`);
    console.log(`accuracy against float on ${cal.accuracy.samples} calibration samples (${cal.userSamples} given, ${cal.syntheticSamples} synthetic):\n${accuracyTable(cal)}`);
    if (!cal.metTarget) console.error(`warning: no scale met the target relative L2 error ${args.target}; kept the most accurate one`);

    const bar = progress();
    const compiled = await compileModel(graph, cal, {
      backend: args.backend,
      inputVisibility: args["input-visibility"],
      outputVisibility: args["output-visibility"],
      ...(args.ptau ? { ptau: args.ptau } : {}),
      ...(args["insecure-dev-setup"] ? { insecureDevSetup: true } : {}),
      onProgress: bar.update,
      modelDigest: createHash("sha256").update(modelBytes).digest("hex"),
      modelName: basename(args.model),
    });
    bar.finish();

    console.log(`plan (${compiled.plan.length} kernels):`);
    console.log(
      table(
        ["kernel", "ops", "shapes", "backend", "est. prove", "est. memory", "reason"],
        compiled.plan.map((r) => [r.kernel, r.ops, r.shapes, r.backend, `${short(r.estimate.proveSeconds)} s`, `${short(r.estimate.memoryBytes / 2 ** 20)} MiB`, r.reason]),
      ),
    );
    if (compiled.manifest.developmentPtau) {
      console.error("warning: --insecure-dev-setup: the Groth16 keys come from the public-seed development setup; anyone can forge proofs, and zkc verify refuses them without --allow-insecure-dev-keys");
    }

    const files = new Map<string, Uint8Array | string>(compiled.files);
    files.set("manifest.json", serializeManifest(compiled.manifest));
    files.set(
      "quantisation.json",
      JSON.stringify(
        {
          config: cal.config,
          tried: cal.tried,
          metTarget: cal.metTarget,
          target: args.target,
          accuracy: cal.accuracy,
          samples: { given: cal.userSamples, synthetic: cal.syntheticSamples },
          floatEngine: cal.floatEngine,
        },
        null,
        2,
      ),
    );
    files.set("plan.json", JSON.stringify(compiled.plan, null, 2));
    writeDirAtomic(args.dir, files);
    console.log(`wrote ${args.dir}/ (manifest.json and ${files.size - 1} more files)`);
  },
};
