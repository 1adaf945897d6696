/**
 * Artifact files for the commands: the atomic writers of toolchain/files.ts plus the CLI's
 * interrupt handling, so a failure or Ctrl-C never leaves a half-written directory or file.
 */
import { rmSync } from "node:fs";
import * as files from "../toolchain/files.js";

export { readInputFile, readJsonFile, artifactsDir } from "../toolchain/files.js";

let hooked = false;

/** Removes unfinished temporary files and directories when the process is interrupted. */
export function hookInterrupts(): void {
  if (hooked) return;
  hooked = true;
  const clean = (signal: NodeJS.Signals) => {
    for (const p of files.unfinishedPaths()) rmSync(p, { recursive: true, force: true });
    process.stderr.write(`\nzkc: interrupted (${signal}); nothing was written\n`);
    process.exit(130);
  };
  process.once("SIGINT", clean);
  process.once("SIGTERM", clean);
}

/** Writes every file of `files` (relative names) as directory `dir`, replacing it whole. */
export function writeDirAtomic(dir: string, contents: ReadonlyMap<string, Uint8Array | string>): void {
  hookInterrupts();
  files.writeDirAtomic(dir, contents);
}

/** Writes one file through a temporary name and a rename. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  hookInterrupts();
  files.writeFileAtomic(path, data);
}
