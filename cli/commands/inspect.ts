import type { CommandModule } from "yargs";
import type { PlanRow } from "../../toolchain/compile.js";
import { ZkcError } from "../../compiler/errors.js";
import { decodeProgram } from "../../runtime/link/program-file.js";
import { inspect, inspectProof } from "../../toolchain/api.js";
import { readInputFile, writeFileAtomic } from "../artifacts.js";
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
    const m = art.manifest;
    const { kernels } = await inspect(art);
    console.log(`model ${m.model.name} (sha256 ${m.model.digest.slice(0, 16)}…), ${m.program.prims} primitives, ${m.kernels.length} kernels`);
    console.log(
      table(
        ["kernel", "ops", "shapes", "backend", "est. prove", "measured", "est. memory", "est. proof"],
        kernels.map((r) => [
          r.kernel,
          r.ops,
          r.shapes,
          r.backend,
          `${short(r.estimate.proveSeconds)} s`,
          r.measuredSeconds !== undefined ? `${short(r.measuredSeconds)} s` : "-",
          `${short(r.estimate.memoryBytes / 2 ** 20)} MiB`,
          `${short(r.estimate.proofBytes / 1024)} KiB`,
        ]),
      ),
    );
    const measured = new Map(kernels.flatMap((r) => (r.measuredSeconds !== undefined ? [[r.kernel, r.measuredSeconds] as const] : [])));
    const plan: PlanRow[] = kernels;
    if (args.html) {
      const program = decodeProgram(await art.files(m.program.file), await art.files(m.weights.file));
      const shapes = new Map([...program.tensors].map(([n, t]) => [n, t.shape] as const));
      // the graph layout library loads only for the page, not with every command
      const { inspectHtml } = await import("../inspect-html.js");
      writeFileAtomic(args.html, inspectHtml({ manifest: m, plan, shapes, ...(measured.size > 0 ? { measured } : {}) }));
      console.log(`wrote ${args.html}`);
    }
  },
};

/** A proof in JSON (the proof.json form) for people; the envelope is checked, the proof itself is not verified. */
function printProof(path: string): void {
  let r: ReturnType<typeof inspectProof>;
  try {
    r = inspectProof(readInputFile(path, "proof file"));
  } catch (e) {
    if (e instanceof ZkcError) throw new ZkcError(e.code, e.reason, { ...e.details, file: path });
    throw e;
  }
  process.stdout.write(`${JSON.stringify(r.json, null, 2)}\n`);
  console.error(`${path}: ${r.format === "binary" ? "binary" : "JSON"}, ${(r.bytes / 1024).toFixed(1)} KiB (${(r.jsonBytes / 1024).toFixed(1)} KiB as JSON)`);
}
