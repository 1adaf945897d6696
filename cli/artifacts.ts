/**
 * Artifact files written atomically: a directory is built beside its destination and renamed
 * into place only when complete, so a failure or Ctrl-C never leaves a half-written directory;
 * single files go through a temporary name and a rename.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ZkcError } from "../compiler/errors.js";

const pending = new Set<string>();
let hooked = false;

/** Removes unfinished temporary files and directories when the process is interrupted. */
function hookInterrupts(): void {
  if (hooked) return;
  hooked = true;
  const clean = (signal: NodeJS.Signals) => {
    for (const p of pending) rmSync(p, { recursive: true, force: true });
    process.stderr.write(`\nzkc: interrupted (${signal}); nothing was written\n`);
    process.exit(130);
  };
  process.once("SIGINT", clean);
  process.once("SIGTERM", clean);
}

/** Writes every file of `files` (relative names) as directory `dir`, replacing it whole. */
export function writeDirAtomic(dir: string, files: ReadonlyMap<string, Uint8Array | string>): void {
  hookInterrupts();
  const target = resolve(dir);
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  const old = join(dirname(target), `.${basename(target)}.old-${process.pid}`);
  pending.add(tmp);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const [name, data] of files) {
      const path = join(tmp, name);
      if (!path.startsWith(tmp)) throw new ZkcError("INTERNAL", `artifact name "${name}" escapes the directory`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data);
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw e instanceof ZkcError ? e : new ZkcError("INPUT", `cannot write ${dir}: ${(e as Error).message}`, { hint: "check the path and permissions" });
  } finally {
    pending.delete(tmp);
  }
}

/** Writes one file through a temporary name and a rename. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  hookInterrupts();
  const tmp = `${path}.tmp-${process.pid}`;
  pending.add(tmp);
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new ZkcError("INPUT", `cannot write ${path}: ${(e as Error).message}`, { hint: "check the path and permissions" });
  } finally {
    pending.delete(tmp);
  }
}

/** Reads a file, with an error that says what the file was for. */
export function readInputFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ZkcError("INPUT", code === "ENOENT" ? `${what} not found` : `cannot read ${what}: ${(e as Error).message}`, {
      file: path,
    });
  }
}

/** Reads and parses a JSON file, with an error naming the file and the parse problem. */
export function readJsonFile(path: string, what: string): unknown {
  const text = new TextDecoder().decode(readInputFile(path, what));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ZkcError("INPUT", `${what} is not valid JSON (${(e as Error).message})`, { file: path });
  }
}

/** The artifacts directory of a compile, checked to exist. */
export function artifactsDir(dir: string): string {
  if (!existsSync(join(dir, "manifest.json"))) {
    throw new ZkcError("USAGE", `no compiled model in ${dir}`, { hint: `run "zkc compile model.onnx --dir ${dir}" first` });
  }
  return dir;
}
