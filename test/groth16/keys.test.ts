/**
 * Key management: cache directory rules, the ptau power rule (checked against snarkjs at the
 * boundary), user ptau validation errors, the default local ptau (fresh secrets, its own cache
 * name), the insecure seeded ptau only on request (byte-reproducible, progress reports, a lock
 * shared by concurrent callers).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import { ZkcError } from "../../compiler/errors.js";
import {
  argmax,
  cacheDir,
  devPtau,
  fastDevPtau,
  fastRandomPtau,
  proveGroth16,
  rangeCheckAll,
  verifyGroth16,
  R1csBuilder,
  readPtauHeader,
  requiredPower,
  resolvePtau,
  setupGroth16,
  terminateSnarkjs,
  userPtau,
  writeFileAtomic,
  writeR1cs,
  type ProgressEvent,
} from "../../backends/groth16/index.js";

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zkc-keys-test-"));

afterAll(async () => {
  await terminateSnarkjs();
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

describe("cache directory", () => {
  it("prefers $ZKC_CACHE_DIR, then $XDG_CACHE_HOME/zkc, then ~/.cache/zkc", () => {
    expect(cacheDir({ ZKC_CACHE_DIR: "/a", XDG_CACHE_HOME: "/b" })).toBe("/a");
    expect(cacheDir({ XDG_CACHE_HOME: "/b" })).toBe(path.join("/b", "zkc"));
    expect(cacheDir({})).toBe(path.join(os.homedir(), ".cache", "zkc"));
  });

  it("writes atomically without leaving temporary files", () => {
    const file = path.join(tmpRoot, "atomic", "x.bin");
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    writeFileAtomic(file, new Uint8Array([4]));
    expect([...fs.readFileSync(file)]).toEqual([4]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["x.bin"]);
  });
});

/** A circuit with exactly n constraints (a chain of squarings) and one public output. */
function chain(n: number) {
  const b = new R1csBuilder();
  let x = b.privateInput(3n);
  for (let i = 0; i < n - 1; i++) x = b.mul(x, x);
  b.output(b.mul(x, b.privateInput(1n)));
  return b.build().r1cs;
}

describe("ptau power", () => {
  it("follows snarkjs: 2^p - nPublic - 1 constraints fit in power p, one more does not", async () => {
    expect(requiredPower(1022, 1)).toBe(10);
    expect(requiredPower(1023, 1)).toBe(11);
    // exactly power 10 (resolvePtau would take any larger cached file), from the run's cache
    const dev = await devPtau(10);
    expect(dev).toMatchObject({ power: 10, development: false, setup: "local-random" });
    const fits = chain(1022);
    expect(fits.constraints.length).toBe(1022);
    const mem: snarkjs.MemFile = { type: "mem" };
    expect(await snarkjs.zKey.newZKey(writeR1cs(fits), dev.path, mem)).not.toBe(-1);
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    expect(await snarkjs.zKey.newZKey(writeR1cs(chain(1023)), dev.path, { type: "mem" }, quiet)).toBe(-1);
  });

  it("a user ptau that is too small is refused with the file, the power needed and what to do", async () => {
    const dev = await devPtau(10);
    const devFile = path.join(tmpRoot, "user-10.ptau");
    fs.copyFileSync(dev.path, devFile);
    expect(readPtauHeader(devFile)).toMatchObject({ power: 10, prepared: true });
    expect(userPtau(devFile, 10)).toMatchObject({ development: false, setup: "ptau-file", power: 10, identity: dev.identity });
    let err: unknown;
    try {
      await setupGroth16(chain(1023), { ptauPath: devFile, cacheDir: tmpRoot });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZkcError);
    expect((err as ZkcError).code).toBe("USAGE");
    expect((err as Error).message).toContain(devFile);
    expect((err as Error).message).toMatch(/expected power >= 11, got power 10/);
  });

  it("a file that is not a ptau, or not prepared, is refused", async () => {
    const junk = path.join(tmpRoot, "junk.ptau");
    fs.writeFileSync(junk, "this is not a ptau file at all");
    expect(() => userPtau(junk, 4)).toThrow(/not a powers-of-tau file/);
    expect(() => userPtau(path.join(tmpRoot, "missing.ptau"), 4)).toThrow(ZkcError);
    const raw = path.join(tmpRoot, "raw.ptau");
    const curve = await snarkjs.curves.getCurveFromName("bn128");
    const mem: snarkjs.MemFile = { type: "mem" };
    await snarkjs.powersOfTau.newAccumulator(curve, 2, mem, { debug() {}, info() {}, warn() {}, error() {} });
    fs.writeFileSync(raw, mem.data!);
    expect(readPtauHeader(raw)).toMatchObject({ power: 2, prepared: false });
    expect(() => userPtau(raw, 2)).toThrow(/not prepared for phase 2/);
  });
});

describe("insecure seeded development ptau (only on request)", () => {
  it("is byte-reproducible, reports progress, and concurrent callers share one preparation", async () => {
    const dirA = path.join(tmpRoot, "cacheA");
    const dirB = path.join(tmpRoot, "cacheB");
    const events: ProgressEvent[] = [];
    const [a, a2] = await Promise.all([
      devPtau(3, { cacheDir: dirA, insecureSeededSetup: true, onProgress: (e) => events.push(e) }),
      devPtau(3, { cacheDir: dirA, insecureSeededSetup: true, onProgress: (e) => events.push(e) }),
    ]);
    const b = await devPtau(3, { cacheDir: dirB, insecureSeededSetup: true });
    expect(a.path).toBe(a2.path);
    expect(a).toMatchObject({ development: true, setup: "insecure-seeded" });
    expect(a.identity).toBe(b.identity);
    expect(Buffer.from(fs.readFileSync(a.path)).equals(fs.readFileSync(b.path))).toBe(true);
    // exactly one generation ran; the other caller waited for it
    expect(events.filter((e) => e.step === "ptau-prepare" && e.fraction === 0).length).toBe(1);
    expect(events.some((e) => e.step === "ptau-wait")).toBe(true);
    const fractions = events.filter((e) => e.step === "ptau-prepare" && e.fraction !== undefined).map((e) => e.fraction!);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((x, y) => x - y));
    expect(fs.readdirSync(path.join(dirA, "ptau"))).toEqual(["zkc-dev-fast-bn128-3.ptau"]);
  });

  it("the snarkjs beacon path is byte-reproducible too and reports prepare progress", async () => {
    const events: ProgressEvent[] = [];
    const c = await devPtau(3, { cacheDir: path.join(tmpRoot, "cacheC"), insecureSeededSetup: true, devGenerator: "beacon", onProgress: (e) => events.push(e) });
    const d = await devPtau(3, { cacheDir: path.join(tmpRoot, "cacheD"), insecureSeededSetup: true, devGenerator: "beacon" });
    expect(c.identity).toBe(d.identity);
    expect(path.basename(c.path)).toBe("zkc-dev-bn128-3.ptau");
    expect(readPtauHeader(c.path)).toMatchObject({ power: 3, prepared: true });
    expect(events.filter((e) => e.step === "ptau-prepare").at(-1)?.fraction).toBe(1);
  });

  it("the fast generator's Lagrange sections equal snarkjs's preparePhase2 of its own phase-1 sections", async () => {
    const power = 4;
    const ours = await fastDevPtau(power, "cross-check seed");
    // cut the file after section 7 (header says 7 sections) and let snarkjs prepare it
    const view = new DataView(ours.buffer, ours.byteOffset, ours.byteLength);
    let pos = 12;
    let cut = 0;
    for (let s = 0; s < 11; s++) {
      const type = view.getUint32(pos, true);
      pos += 12 + Number(view.getBigUint64(pos + 4, true));
      if (type === 7) cut = pos;
    }
    const phase1 = ours.slice(0, cut);
    new DataView(phase1.buffer).setUint32(8, 7, true);
    const prepared: snarkjs.MemFile = { type: "mem" };
    await snarkjs.powersOfTau.preparePhase2(phase1, prepared);
    expect(Buffer.from(prepared.data!).equals(Buffer.from(ours))).toBe(true);
    // and a different seed gives a different file
    expect(Buffer.from(await fastDevPtau(power, "another seed")).equals(Buffer.from(ours))).toBe(false);
  });

  it("the fast generator's files pass snarkjs powersoftau verify; a tampered point or contribution does not", async () => {
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const power = 4;
    const seeded = await fastDevPtau(power, "verify seed");
    expect(await snarkjs.powersOfTau.verify(seeded, quiet)).toBe(true);
    expect(await snarkjs.powersOfTau.verify(await fastRandomPtau(power), quiet)).toBe(true);
    // byte offsets of each section's payload
    const view = new DataView(seeded.buffer, seeded.byteOffset, seeded.byteLength);
    const at = new Map<number, number>();
    for (let pos = 12, s = 0; s < 11; s++) {
      at.set(view.getUint32(pos, true), pos + 12);
      pos += 12 + Number(view.getBigUint64(pos + 4, true));
    }
    const flipped = (offset: number) => {
      const copy = seeded.slice();
      copy[offset]! ^= 1;
      return copy;
    };
    // contribution record: count, τ·G1, τ·G2, α·G1, β·G1, β·G2, the key (6 G1, 3 G2), partial hash
    const alphaG1 = at.get(7)! + 4 + 64 + 128;
    const partialHash = at.get(7)! + 4 + 3 * 64 + 2 * 128 + 6 * 64 + 3 * 128;
    // a bit of τ^3·G1 (off the geometric sequence), of the recorded α·G1, of a chaining word of
    // the partial response hash
    for (const offset of [at.get(2)! + 3 * 64, alphaG1, partialHash + 130]) {
      const ok = await snarkjs.powersOfTau.verify(flipped(offset), quiet).catch(() => false);
      expect(ok).toBe(false);
    }
    // a Lagrange point changed to another curve point (its double): the phase-2 check catches it
    type G1 = { fromRprLEM(b: Uint8Array, o: number): Uint8Array; toRprLEM(b: Uint8Array, o: number, p: Uint8Array): void; double(p: Uint8Array): Uint8Array; toAffine(p: Uint8Array): Uint8Array };
    const curve = (await snarkjs.curves.getCurveFromName("bn128")) as { G1: G1 };
    const lagrange = seeded.slice();
    const p = curve.G1.fromRprLEM(lagrange, at.get(12)! + 5 * 64);
    curve.G1.toRprLEM(lagrange, at.get(12)! + 5 * 64, curve.G1.toAffine(curve.G1.double(p)));
    expect(await snarkjs.powersOfTau.verify(lagrange, quiet)).toBe(false);
  });

  it("snarkjs sets up, proves and verifies with the default local ptau", async () => {
    const dir = path.join(tmpRoot, "cacheFast");
    const b = new R1csBuilder();
    const xs = b.publicInputs([3n, 9n, -4n, 9n]);
    rangeCheckAll(b, xs, 8, true);
    b.output(argmax(b, xs, 8).index);
    const built = b.build();
    const keys = await setupGroth16(built.r1cs, { cacheDir: dir, minPower: 7 });
    expect(keys.ptau.power).toBe(7);
    expect(path.basename(keys.ptau.path)).toBe("zkc-local-bn128-7.ptau");
    expect(keys).toMatchObject({ development: false, setup: "local-random" });
    const { proof, publicSignals } = await proveGroth16(built.r1cs, built.witness, keys);
    expect(publicSignals[0]).toBe("1");
    expect(await verifyGroth16(keys.vkey, publicSignals, proof)).toEqual({ ok: true });
    const wrong = ["3", ...publicSignals.slice(1)];
    expect((await verifyGroth16(keys.vkey, wrong, proof)).ok).toBe(false);
  });

  it("resolvePtau picks the smallest cached file of the asked kind that fits", async () => {
    const dir = path.join(tmpRoot, "cacheA");
    expect((await resolvePtau(2, { cacheDir: dir, insecureSeededSetup: true })).power).toBe(3);
    expect((await resolvePtau(3, { cacheDir: dir, insecureSeededSetup: true })).power).toBe(3);
  });
});

describe("default local ptau", () => {
  it("draws fresh secrets: two generations differ, and it has its own cache name", async () => {
    const a = await devPtau(3, { cacheDir: path.join(tmpRoot, "localA") });
    const b = await devPtau(3, { cacheDir: path.join(tmpRoot, "localB") });
    expect(a).toMatchObject({ power: 3, development: false, setup: "local-random" });
    expect(path.basename(a.path)).toBe("zkc-local-bn128-3.ptau");
    expect(a.identity).not.toBe(b.identity);
    expect(readPtauHeader(a.path)).toMatchObject({ power: 3, prepared: true });
    // the second call is a cache hit of the same file, not a new ceremony
    expect((await devPtau(3, { cacheDir: path.join(tmpRoot, "localA") })).identity).toBe(a.identity);
  });

  it("never picks up a seeded file unless asked, and the insecure mode never picks up a local one", async () => {
    const dir = path.join(tmpRoot, "mixed");
    const seeded = await devPtau(4, { cacheDir: dir, insecureSeededSetup: true });
    const local = await resolvePtau(3, { cacheDir: dir, minPower: 3 });
    expect(local).toMatchObject({ setup: "local-random", power: 3 });
    expect(local.identity).not.toBe(seeded.identity);
    expect(await resolvePtau(3, { cacheDir: dir, insecureSeededSetup: true })).toMatchObject({ setup: "insecure-seeded", power: 4, identity: seeded.identity });
    expect(fs.readdirSync(path.join(dir, "ptau")).sort()).toEqual(["zkc-dev-fast-bn128-4.ptau", "zkc-local-bn128-3.ptau"]);
  });

  it("a seeded generator without insecureSeededSetup is refused", async () => {
    await expect(devPtau(3, { cacheDir: path.join(tmpRoot, "refused"), devGenerator: "beacon" })).rejects.toThrow(/insecureSeededSetup/);
    await expect(resolvePtau(3, { cacheDir: path.join(tmpRoot, "refused"), devGenerator: "fast" })).rejects.toThrow(/insecureSeededSetup/);
  });
});
