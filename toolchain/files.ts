/**
 * Artifact files on disk, shared by the library API (toolchain/api.ts) and the CLI: a directory is
 * built beside its destination, every file flushed to disk, and renamed into place only when
 * complete, so a failure or a crash never leaves a half-written directory; single files go
 * through a flushed temporary file and a rename (backends/atomic-file.ts). Reading
 * an artifacts directory gives its manifest and a lazy side-file reader. Node only.
 *
 * Signal handling (Ctrl-C) is the CLI's business (cli/artifacts.ts): a library must not exit the
 * process, so this module only tracks the temporaries a handler would remove (`unfinishedPaths`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { syncDirectory, temporaryName, writeFileAtomicSync, writeNewFileSynced } from "../backends/atomic-file.js";
import { ZkcError } from "../compiler/errors.js";
import { type Manifest, parseManifest } from "../runtime/manifest.js";

const pending = new Set<string>();

/** Temporary files and directories being written right now (for an interrupt handler to remove). */
export function unfinishedPaths(): string[] {
  return [...pending];
}

/** Writes every file of `files` (relative names) as directory `dir`, replacing it whole. */
export function writeDirAtomic(dir: string, files: ReadonlyMap<string, Uint8Array | string>): void {
  const target = resolve(dir);
  const tmp = join(dirname(target), `.${basename(temporaryName(target))}`);
  const old = `${tmp}.old`;
  pending.add(tmp);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const dirs = new Set<string>([tmp]);
    for (const [name, data] of files) {
      const path = join(tmp, name);
      if (!path.startsWith(tmp + sep)) throw new ZkcError("INTERNAL", `artifact name "${name}" escapes the directory`);
      mkdirSync(dirname(path), { recursive: true });
      dirs.add(dirname(path));
      writeNewFileSynced(path, data);
    }
    for (const d of dirs) syncDirectory(d);
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    syncDirectory(dirname(target));
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw e instanceof ZkcError ? e : new ZkcError("INPUT", `cannot write ${dir}: ${(e as Error).message}`, { hint: "check the path and permissions" });
  } finally {
    pending.delete(tmp);
  }
}

/** Writes one file through a flushed temporary file and a rename. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileAtomicSync(path, data, (tmp, done) => (done ? pending.delete(tmp) : pending.add(tmp)));
  } catch (e) {
    throw new ZkcError("INPUT", `cannot write ${path}: ${(e as Error).message}`, { hint: "check the path and permissions" });
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

/** Parses JSON text, with an error naming the file (or option) and the parse problem. */
export function parseJsonText(text: string, what: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ZkcError("INPUT", `${what} is not valid JSON (${(e as Error).message})`, { file });
  }
}

/** Reads and parses a JSON file, with an error naming the file and the parse problem. */
export function readJsonFile(path: string, what: string): unknown {
  return parseJsonText(new TextDecoder().decode(readInputFile(path, what)), what, path);
}

/** The artifacts directory of a compile, checked to exist. */
export function artifactsDir(dir: string): string {
  if (!existsSync(join(dir, "manifest.json"))) {
    throw new ZkcError("USAGE", `no compiled model in ${dir}`, { hint: `run "zkc compile model.onnx --dir ${dir}" first` });
  }
  return dir;
}

/** An artifacts directory opened for reading: its manifest and a reader of its side files. */
export interface ArtifactsDir {
  dir: string;
  manifest: Manifest;
  files: (name: string) => Promise<Uint8Array>;
}

/**
 * Opens an artifacts directory: parses `manifest.json` now, reads side files when asked.
 * @throws ZkcError USAGE when the directory holds no manifest, MODEL_FORMAT for a malformed one
 */
export function openArtifacts(dir: string): ArtifactsDir {
  artifactsDir(dir);
  const path = join(dir, "manifest.json");
  const manifest = parseManifest(readJsonFile(path, "manifest"), path);
  const files = async (name: string): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await readFile(join(dir, name)));
    } catch {
      throw new ZkcError("MODEL_FORMAT", `artifact "${name}" is missing`, { file: join(dir, name), hint: "compile the model again (zkc compile)" });
    }
  };
  return { dir, manifest, files };
}
