import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import type { PlanRow } from "../../toolchain/compile.js";
import { ZkcError } from "../../compiler/errors.js";
import { defaultVerifiers } from "../../backends/verifiers.js";
import { decodeProgram } from "../../runtime/link/program-file.js";
import { isBinaryProof, parseAnyProof } from "../../runtime/proof-binary.js";
import { serializeProof } from "../../runtime/proof.js";
import { readInputFile, readJsonFile, writeFileAtomic } from "../artifacts.js";
import { openArtifacts } from "../artifacts-read.js";
import { short, table } from "../table.js";

interface Args {
  dir: string;
  html?: string;
  proof?: string;
}

export const inspectCommand: CommandModule<object, Args> = {
  command: "inspect",
  describe: "show the compiled plan and its costs (--html: draw the kernel graph as a page; --proof: print a proof, binary or JSON, as JSON)",
  builder: (y) =>
    y
      .option("dir", { type: "string", default: "zkc-out", describe: "artifacts directory of zkc compile" })
      .option("html", { type: "string", describe: "write the kernel graph as an HTML page to this file" })
      .option("proof", { type: "string", describe: "print this proof file (proof.bin or proof.json) as JSON, without checking it" }) as never,
  handler: async (args) => {
    if (args.proof) {
      printProof(args.proof);
      return;
    }
    const art = openArtifacts(args.dir);
    const plan = readJsonFile(join(args.dir, "plan.json"), "plan") as PlanRow[];
    const statsPath = join(args.dir, "prove-stats.json");
    const measured = existsSync(statsPath)
      ? new Map((readJsonFile(statsPath, "prove statistics") as { kernels: { name: string; seconds: number }[] }).kernels.map((k) => [k.name, k.seconds]))
      : undefined;
    const m = art.manifest;
    console.log(`model ${m.model.name} (sha256 ${m.model.digest.slice(0, 16)}…), ${m.program.prims} primitives, ${m.kernels.length} kernels`);
    console.log(
      table(
        ["kernel", "ops", "shapes", "backend", "est. prove", "measured", "est. memory", "est. proof"],
        plan.map((r) => [
          r.kernel,
          r.ops,
          r.shapes,
          r.backend,
          `${short(r.estimate.proveSeconds)} s`,
          measured?.has(r.kernel) ? `${short(measured.get(r.kernel)!)} s` : "-",
          `${short(r.estimate.memoryBytes / 2 ** 20)} MiB`,
          `${short(r.estimate.proofBytes / 1024)} KiB`,
        ]),
      ),
    );
    if (args.html) {
      const program = decodeProgram(await art.files(m.program.file), await art.files(m.weights.file));
      const shapes = new Map([...program.tensors].map(([n, t]) => [n, t.shape] as const));
      // the graph layout library loads only for the page, not with every command
      const { inspectHtml } = await import("../inspect-html.js");
      writeFileAtomic(args.html, inspectHtml({ manifest: m, plan, shapes, ...(measured ? { measured } : {}) }));
      console.log(`wrote ${args.html}`);
    }
  },
};

/** A proof in JSON (the proof.json form) for people; the envelope is checked, the proof itself is not verified. */
function printProof(path: string): void {
  const bytes = readInputFile(path, "proof file");
  const r = parseAnyProof(bytes, defaultVerifiers);
  if (!r.ok) throw new ZkcError("INPUT", `malformed proof: field ${r.field}: ${r.reason}`, { file: path, hint: "pass a proof.bin or proof.json written by zkc prove" });
  const text = serializeProof(r.proof);
  process.stdout.write(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  const kind = isBinaryProof(bytes) ? "binary" : "JSON";
  console.error(`${path}: ${kind}, ${(bytes.length / 1024).toFixed(1)} KiB (${(new TextEncoder().encode(text).length / 1024).toFixed(1)} KiB as JSON)`);
}
