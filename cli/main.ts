/**
 * The `zkc` command: a command table. Each command parses, does I/O and sets the exit code;
 * logic stays importable in compiler/, runtime/ and backends/.
 * Exit codes: 0 success, 1 proof rejected, 2 bad usage or bad input, 3 internal error.
 */
import { ZkcError } from "../compiler/errors.js";
import { zkcVersion } from "./version.js";

export async function main(argv: string[]): Promise<number> {
  // `zkc --version` answers before the commands are loaded: through them, snarkjs, ffjavascript,
  // esbuild and the ONNX decoder take most of a second to import, and scripts and package managers
  // run `--version` to probe an installation.
  if (argv.length === 1 && argv[0] === "--version") {
    console.log(zkcVersion());
    return 0;
  }
  const [
    { default: yargs },
    { calibrateCostsCommand },
    { compileCommand },
    { exportVerifierCommand },
    { infoCommand },
    { inspectCommand },
    { proveCommand },
    { ProofRejected, verifyCommand },
    { workerCommand },
  ] = await Promise.all([
    import("yargs"),
    import("./commands/calibrate-costs.js"),
    import("./commands/compile.js"),
    import("./commands/export-verifier.js"),
    import("./commands/info.js"),
    import("./commands/inspect.js"),
    import("./commands/prove.js"),
    import("./commands/verify.js"),
    import("./commands/worker.js"),
  ]);
  const verbose = argv.includes("--verbose");
  const parser = yargs(argv)
    .scriptName("zkc")
    .usage("$0 <command> [options]\n\nCompile an ONNX model into proving kernels, prove inference, verify proofs.")
    .option("verbose", { type: "boolean", default: false, describe: "print details (stack traces) on errors" })
    .command(compileCommand)
    .command(proveCommand)
    .command(verifyCommand)
    .command(exportVerifierCommand)
    .command(inspectCommand)
    .command(infoCommand)
    .command(calibrateCostsCommand)
    .command(workerCommand)
    .demandCommand(1, "give a command; see zkc --help")
    .strict()
    .help()
    .alias("h", "help")
    .version(zkcVersion())
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      throw err ?? new ZkcError("USAGE", msg, { hint: "see zkc --help" });
    });

  let exitCode = 0;
  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof ProofRejected) {
      exitCode = 1;
    } else if (e instanceof ZkcError) {
      console.error(`zkc: error: ${e.message}`);
      if (verbose && e.stack) console.error(e.stack);
      exitCode = e.exitCode;
    } else {
      console.error(`zkc: internal error: ${(e as Error)?.message ?? String(e)}`);
      console.error(verbose ? (e as Error)?.stack : "run again with --verbose for details, and please report it");
      exitCode = 3;
    }
  } finally {
    // snarkjs and the commitment engine keep worker threads alive; the process would never exit
    const { terminateSnarkjs } = await import("../backends/groth16/keys.js");
    const { terminateCurve } = await import("../backends/math/commit/curve.js");
    await terminateCurve();
    await terminateSnarkjs();
  }
  return exitCode;
}
