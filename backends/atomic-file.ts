/**
 * Atomic, durable file writes (Node only), shared by the key cache (backends/groth16/keys.ts) and
 * the artifact writers (toolchain/files.ts): the bytes go to a fresh temporary file beside the
 * target, are flushed to disk (fsync) and closed, the file is renamed over the target, and the
 * directory is flushed so the rename survives a crash. A reader sees the old file or the new
 * one, never a part. On any error the temporary file is removed and the error rethrown.
 *
 * Kept over the write-file-atomic package: its current major needs Node 22, and it also chowns
 * and registers exit handlers, which a library must not do behind its caller (docs/dependencies.md).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { threadId } from "node:worker_threads";

let written = 0;

/** A temporary name beside `path`, unique across processes, worker threads and calls. */
export function temporaryName(path: string): string {
  return `${path}.tmp-${process.pid}-${threadId}-${++written}-${randomBytes(3).toString("hex")}`;
}

/** Writes `data` to a new file `path` (failing if it exists) and flushes it to disk. */
export function writeNewFileSynced(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, "wx");
  try {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a directory's entries (a finished rename) to disk; not every platform allows it. */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory for fsync; the rename is still atomic there
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Replaces `path` with `data` atomically and durably. `onTemporary` is told the temporary
 * name before it is created and again (with `done`) once it is gone or renamed, for interrupt
 * handlers that remove unfinished files.
 */
export function writeFileAtomicSync(path: string, data: Uint8Array | string, onTemporary?: (tmp: string, done: boolean) => void): void {
  const tmp = temporaryName(path);
  onTemporary?.(tmp, false);
  try {
    writeNewFileSynced(tmp, data);
    renameSync(tmp, path);
    syncDirectory(dirname(path));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    onTemporary?.(tmp, true);
  }
}
