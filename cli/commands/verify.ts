import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import { ZkcError } from "../../compiler/errors.js";
import { verify } from "../../runtime/verify.js";
import { insecureSetupReason } from "../../runtime/trust.js";
import { readInputFile } from "../artifacts.js";
import { openArtifacts } from "../artifacts-read.js";
import { preview } from "../table.js";

interface Args {
  dir: string;
  proof?: string;
  json: boolean;
  "allow-insecure-dev-keys": boolean;
}

/**
 * The proof `zkc prove` wrote last in `dir`: proof.bin (the default) or proof.json (--json); when
 * both exist, the newer, so a stale file of the other form is not picked. Neither: proof.bin, whose
 * read error names it.
 */
export function defaultProofPath(dir: string): string {
  const [bin, json] = [join(dir, "proof.bin"), join(dir, "proof.json")];
  if (!existsSync(json) && !existsSync(bin)) {
    throw new ZkcError("INPUT", "proof file not found (neither proof.bin nor proof.json)", { file: dir, hint: "run zkc prove first, or pass --proof FILE" });
  }
  if (!existsSync(json)) return bin;
  if (!existsSync(bin)) return json;
  return statSync(json).mtimeMs > statSync(bin).mtimeMs ? json : bin;
}

/** Exit code 1 (proof rejected) travels to main through this. */
export class ProofRejected extends Error {}

export const verifyCommand: CommandModule<object, Args> = {
  command: "verify",
  describe: "verify a proof against the compiled model (exit 0 only when it verifies)",
  builder: (y) =>
    y
      .option("dir", { type: "string", default: "zkc-out", describe: "artifacts directory of zkc compile" })
      .option("proof", { type: "string", describe: "proof file, binary or JSON (default: the newer of <dir>/proof.bin and <dir>/proof.json)" })
      .option("json", { type: "boolean", default: false, describe: "print one JSON object with the verdict and the outputs" })
      .option("allow-insecure-dev-keys", {
        type: "boolean",
        default: false,
        describe: "accept a model compiled with --insecure-dev-setup (its keys are forgeable by anyone: tests only)",
      }) as never,
  handler: async (args) => {
    const art = openArtifacts(args.dir);
    const proofPath = args.proof ?? defaultProofPath(args.dir);
    // the verifier tells binary from JSON by the file's first bytes, not by its name
    const bytes = readInputFile(proofPath, "proof file");
    const t0 = Date.now();
    const allowInsecure = args["allow-insecure-dev-keys"];
    const result = await verify(art.manifest, bytes, art.files, { allowInsecureDevKeys: allowInsecure });
    const insecure = insecureSetupReason(art.manifest);
    if (insecure !== undefined && allowInsecure) console.error("warning: --allow-insecure-dev-keys: this model's keys are forgeable by anyone; the verdict proves nothing");
    const ms = Date.now() - t0;
    if (args.json) {
      const outputs = result.ok
        ? Object.fromEntries(result.outputs.map((o) => [o.onnxName, { shape: o.shape, data: o.floats ?? null, ...(o.hash ? { hash: o.hash } : {}) }]))
        : {};
      console.log(JSON.stringify({ verified: result.ok, outputs, ...(result.ok ? {} : { reason: result.reason }) }));
    } else if (result.ok) {
      const t = result.timings;
      console.log(`verified in ${ms} ms (model files ${Math.round(t.modelLoadMs)} ms, proof parsing ${Math.round(t.parseMs)} ms, checks ${Math.round(t.checkMs)} ms)`);
      for (const o of result.outputs) {
        const shown = o.floats ? preview(o.floats) : `hash ${o.hash}`;
        console.log(`  ${o.onnxName} [${o.shape.join(", ")}]: ${shown}`);
      }
    } else {
      console.error(`rejected: ${result.reason}`);
    }
    if (!result.ok) throw new ProofRejected(result.reason);
  },
};
