/**
 * The `zkc` command: parses arguments, does I/O, sets the exit code. Logic stays in the
 * importable modules under compiler/, runtime/ and backends/.
 * Exit codes: 0 success, 1 proof rejected, 2 bad usage or bad input, 3 internal error.
 */
import yargs from "yargs";
import { ZkcError } from "../compiler/errors.js";

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName("zkc")
    .usage("$0 <command> [options]\n\nCompile an ONNX model into proving kernels, prove inference, verify proofs.")
    .option("verbose", { type: "boolean", default: false, describe: "print details (stack traces) on errors" })
    .command(
      "info <model>",
      "load an ONNX model and print its inputs, outputs and ops",
      (y) => y.positional("model", { type: "string", demandOption: true, describe: "path to model.onnx" }),
      async (args) => {
        const { loadModelFile } = await import("../compiler/onnx/load.js");
        const graph = loadModelFile(args.model);
        const fmt = (v: { name: string; dtype: string; shape: number[] }) => `  ${v.name}: ${v.dtype} [${v.shape.join(", ")}]`;
        const counts = new Map<string, number>();
        for (const n of graph.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
        console.log(`model ${args.model} (opset ${graph.opset})`);
        console.log("inputs:\n" + graph.inputs.map(fmt).join("\n"));
        console.log("outputs:\n" + graph.outputs.map(fmt).join("\n"));
        console.log("ops:\n" + [...counts].map(([op, c]) => `  ${op} x${c}`).join("\n"));
        for (const w of graph.warnings) console.error(`warning: ${w}`);
      },
    )
    .demandCommand(1, "give a command; see zkc --help")
    .strict()
    .help()
    .alias("h", "help")
    .version()
    .fail((msg, err) => {
      throw err ?? new ZkcError("USAGE", msg, { hint: "see zkc --help" });
    });

  try {
    await parser.parseAsync();
  } catch (e) {
    const verbose = argv.includes("--verbose");
    if (e instanceof ZkcError) {
      console.error(`zkc: error: ${e.message}`);
      if (verbose && e.stack) console.error(e.stack);
      exitCode = e.exitCode;
    } else {
      console.error(`zkc: internal error: ${(e as Error)?.message ?? String(e)}`);
      console.error(verbose ? (e as Error)?.stack : "run again with --verbose for details, and please report it");
      exitCode = 3;
    }
  }
  return exitCode;
}
