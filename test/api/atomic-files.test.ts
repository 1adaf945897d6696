/**
 * Atomic file writes (backends/atomic-file.ts and the artifact writers of toolchain/files.ts):
 * a replaced file or directory is the new one whole, no temporary is left behind after success
 * or failure, a failed write leaves the old contents, temporaries are unique per call.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { temporaryName, writeFileAtomicSync, writeNewFileSynced } from "../../backends/atomic-file.js";
import { ZkcError } from "../../compiler/errors.js";
import { unfinishedPaths, writeDirAtomic, writeFileAtomic } from "../../toolchain/files.js";

const root = mkdtempSync(join(tmpdir(), "zkc-atomic-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fresh = (name: string) => {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
};

describe("writeFileAtomicSync", () => {
  it("replaces the file whole and leaves only it; reports its temporary before and after", () => {
    const dir = fresh("replace");
    const file = join(dir, "a.bin");
    writeFileSync(file, "old contents, longer than the new ones");
    const seen: [string, boolean][] = [];
    writeFileAtomicSync(file, Uint8Array.of(1, 2, 3), (tmp, done) => seen.push([tmp, done]));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(["a.bin"]);
    expect(seen.map(([, done]) => done)).toEqual([false, true]);
    expect(seen[0]![0]).toBe(seen[1]![0]);
    expect(seen[0]![0].startsWith(`${file}.tmp-`)).toBe(true);
    writeFileAtomicSync(file, "text é");
    expect(readFileSync(file, "utf8")).toBe("text é");
  });

  it("on a failed rename removes its temporary and leaves the target as it was", () => {
    const dir = fresh("fail");
    const target = join(dir, "taken");
    mkdirSync(target);
    writeFileSync(join(target, "inside"), "kept");
    expect(() => writeFileAtomicSync(target, "new")).toThrow();
    expect(readdirSync(dir)).toEqual(["taken"]);
    expect(readFileSync(join(target, "inside"), "utf8")).toBe("kept");
  });

  it("gives every call its own temporary name, and the low-level writer never overwrites", () => {
    const names = new Set(Array.from({ length: 100 }, () => temporaryName("/x/y")));
    expect(names.size).toBe(100);
    const file = join(fresh("wx"), "f");
    writeNewFileSynced(file, "first");
    expect(() => writeNewFileSynced(file, "second")).toThrow(/EEXIST/);
    expect(readFileSync(file, "utf8")).toBe("first");
  });
});

describe("artifact writers", () => {
  it("writeFileAtomic names the path in a ZkcError and tracks nothing afterwards", () => {
    const dir = fresh("zkc-error");
    mkdirSync(join(dir, "busy"));
    writeFileSync(join(dir, "busy", "x"), "");
    let err: unknown;
    try {
      writeFileAtomic(join(dir, "busy"), "data");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZkcError);
    expect((err as ZkcError).code).toBe("INPUT");
    expect((err as Error).message).toContain(join(dir, "busy"));
    expect(unfinishedPaths()).toEqual([]);
    expect(readdirSync(dir)).toEqual(["busy"]);
  });

  it("writeDirAtomic replaces a directory whole; a failure keeps the old one and leaves no temporaries", () => {
    const parent = fresh("dirs");
    const out = join(parent, "out");
    writeDirAtomic(out, new Map<string, string | Uint8Array>([["manifest.json", "{}"], ["old-only.bin", Uint8Array.of(9)]]));
    writeDirAtomic(out, new Map<string, string | Uint8Array>([["manifest.json", '{"v":2}'], ["sub/k0.bin", Uint8Array.of(1)]]));
    expect(readdirSync(out).sort()).toEqual(["manifest.json", "sub"]);
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe('{"v":2}');
    expect([...readFileSync(join(out, "sub", "k0.bin"))]).toEqual([1]);
    expect(() => writeDirAtomic(out, new Map([["fine.txt", "x"], ["../escape.txt", "y"]]))).toThrow(ZkcError);
    expect(readdirSync(parent)).toEqual(["out"]);
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe('{"v":2}');
    expect(unfinishedPaths()).toEqual([]);
  });
});
