/**
 * Groth16 key management: powers of tau (generated locally from fresh CSPRNG secrets by default,
 * a user-supplied ceremony file with --ptau, or, only when explicitly asked, the insecure
 * public-seed development setup), circuit-specific zkeys cached by circuit digest, verification
 * key and Solidity verifier export. Whom each setup trusts: docs/trust.md.
 *
 * Cache directory: $ZKC_CACHE_DIR, else $XDG_CACHE_HOME/zkc, else ~/.cache/zkc. Every file is
 * written to a temporary name and renamed into place, so a crash never leaves a half-written key.
 * Concurrent processes that need the same development ptau serialise on a lock file instead of
 * both spending the (long) preparation time.
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as snarkjs from "snarkjs";
import { ZkcError } from "../../compiler/errors.js";
import { writeFileAtomicSync } from "../atomic-file.js";
import { fastDevPtau, fastRandomPtau } from "./fastptau.js";
import { sha256Hex, writeR1cs } from "./formats.js";
import type { R1cs } from "./r1cs.js";

/** One progress report from a long step; `fraction` in [0, 1] when it can be estimated. */
export interface ProgressEvent {
  step: "ptau-new" | "ptau-beacon" | "ptau-prepare" | "ptau-wait" | "zkey-new" | "zkey-contribute" | "cache-hit";
  message: string;
  fraction?: number;
}

/** Callback for {@link ProgressEvent}s (the CLI draws progress bars from these). */
export type ProgressFn = (event: ProgressEvent) => void;

/**
 * Where a ptau's phase-1 secrets came from:
 * - "local-random": generated here from CSPRNG secrets that were forgotten (the default);
 * - "ptau-file": a ceremony file the user passed (--ptau);
 * - "insecure-seeded": derived from a public seed (or a public beacon): anyone can forge proofs.
 */
export type SetupKind = "local-random" | "ptau-file" | "insecure-seeded";

/** A prepared powers-of-tau file ready for Groth16 setup. */
export interface PtauInfo {
  readonly path: string;
  /** the file supports circuits with 2^power >= constraints + public signals + 1 */
  readonly power: number;
  /** true only for the insecure public-seed setup: its trapdoor is public, proofs are forgeable */
  readonly development: boolean;
  readonly setup: SetupKind;
  /** sha256 (hex) of the file contents; part of every zkey digest */
  readonly identity: string;
}

/** Keys for one circuit. */
export interface Groth16Keys {
  /** proving key bytes (snarkjs .zkey) */
  readonly zkey: Uint8Array;
  readonly vkey: snarkjs.VerificationKey;
  /** sha256(.r1cs bytes ‖ ptau identity), hex: the cache key */
  readonly digest: string;
  /** sha256 of the .r1cs bytes, hex: lets the prover refuse a witness for another circuit */
  readonly r1csDigest: string;
  readonly ptau: PtauInfo;
  /** copied from the ptau: true means "insecure public-seed setup: forgeable" */
  readonly development: boolean;
  /** copied from the ptau: which phase-1 setup the keys were built on */
  readonly setup: SetupKind;
  /** how the phase-2 secret was chosen: a contribution with fresh OS randomness */
  readonly contribution: "random";
}

/** Options shared by the key functions. */
export interface KeyOptions {
  /** override of the cache directory (else the environment decides, see {@link cacheDir}) */
  cacheDir?: string;
  /** path to a user-supplied prepared ptau (the `--ptau` flag); skips local generation */
  ptauPath?: string;
  /** smallest local ptau power to generate (default 10, so small circuits share one file) */
  minPower?: number;
  /**
   * INSECURE, tests only: use the public-seed development ptau (deterministic, fast, and
   * forgeable by anyone: its tau, alpha, beta are public). Without it a missing ptau is generated
   * from fresh CSPRNG secrets.
   */
  insecureSeededSetup?: boolean;
  /**
   * With `insecureSeededSetup` only: how the seeded ptau is made: "fast" (default; Lagrange points
   * from scalar FFTs, see fastptau.ts) or "beacon" (snarkjs new accumulator + public beacon +
   * preparePhase2, about 9× slower at power 12). Both pass `snarkjs powersoftau verify`.
   */
  devGenerator?: "fast" | "beacon";
  onProgress?: ProgressFn;
}

/** The BN254 base field modulus q, as found in a ptau header. */
const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
/** Largest power a dev ptau may be generated at here (2^16 already takes ~20 minutes). */
const MAX_DEV_POWER = 20;
const DEV_BEACON = sha256Hex("zkc development powers of tau: NOT FOR PRODUCTION");

/** The cache directory: $ZKC_CACHE_DIR, else $XDG_CACHE_HOME/zkc, else ~/.cache/zkc. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZKC_CACHE_DIR) return env.ZKC_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, "zkc");
  return path.join(os.homedir(), ".cache", "zkc");
}

/**
 * Smallest ptau power snarkjs accepts for a circuit: floor(log2(constraints + public)) + 1, so
 * that the domain holds the constraints plus one row per public signal and the constant.
 */
export function requiredPower(nConstraints: number, nPublic: number): number {
  return Math.floor(Math.log2(Math.max(1, nConstraints + nPublic))) + 1;
}

/** Writes bytes to `file` atomically and durably (backends/atomic-file.ts), creating its directory. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, data);
}

const identityMemo = new Map<string, string>();

function fileIdentity(file: string): string {
  const st = fs.statSync(file);
  const key = `${file}:${st.size}:${st.mtimeMs}`;
  let id = identityMemo.get(key);
  if (!id) {
    id = sha256Hex(fs.readFileSync(file));
    identityMemo.set(key, id);
  }
  return id;
}

/** Header facts of a ptau file. */
export interface PtauHeader {
  power: number;
  ceremonyPower: number;
  /** phase-2 sections (12..15) present: usable for Groth16 setup */
  prepared: boolean;
  q: bigint;
}

/**
 * Reads the header of a ptau file without loading it (ceremony files can be gigabytes).
 * @throws ZkcError USAGE naming the file when it cannot be read or is not a ptau file.
 */
export function readPtauHeader(file: string): PtauHeader {
  const bad = (reason: string): never => {
    throw new ZkcError("USAGE", reason, { file, hint: "pass a prepared powers-of-tau file (snarkjs powersoftau prepare phase2) with --ptau" });
  };
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return bad("cannot open the powers-of-tau file");
  }
  try {
    const size = fs.fstatSync(fd).size;
    const read = (at: number, n: number): DataView => {
      const buf = Buffer.alloc(n);
      if (fs.readSync(fd, buf, 0, n, at) !== n) bad("the powers-of-tau file is truncated");
      return new DataView(buf.buffer, buf.byteOffset, n);
    };
    if (size < 12) bad("the file is too short to be a powers-of-tau file");
    const head = read(0, 12);
    const magic = String.fromCharCode(head.getUint8(0), head.getUint8(1), head.getUint8(2), head.getUint8(3));
    if (magic !== "ptau") bad(`not a powers-of-tau file (magic "${magic}")`);
    const nSections = head.getUint32(8, true);
    let pos = 12;
    const types = new Set<number>();
    let header: { power: number; ceremonyPower: number; q: bigint } | undefined;
    for (let s = 0; s < nSections; s++) {
      const sh = read(pos, 12);
      const type = sh.getUint32(0, true);
      const len = Number(sh.getBigUint64(4, true));
      types.add(type);
      if (type === 1) {
        const h = read(pos + 12, 4);
        const n8 = h.getUint32(0, true);
        const body = read(pos + 16, n8 + 8);
        let q = 0n;
        for (let i = n8 - 1; i >= 0; i--) q = (q << 8n) | BigInt(body.getUint8(i));
        header = { q, power: body.getUint32(n8, true), ceremonyPower: body.getUint32(n8 + 4, true) };
      }
      pos += 12 + len;
      if (pos > size) bad("the powers-of-tau file is truncated");
    }
    if (!header) return bad("the powers-of-tau file has no header section");
    return { ...header, prepared: [12, 13, 14, 15].every((t) => types.has(t)) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Validates a user-supplied ceremony file for a circuit needing `needPower`.
 * @throws ZkcError USAGE naming the file when it is not BN254, not prepared, or too small.
 */
export function userPtau(file: string, needPower: number): PtauInfo {
  const h = readPtauHeader(file);
  if (h.q !== BN254_Q) {
    throw new ZkcError("USAGE", "the powers-of-tau file is not for the BN254 (bn128) curve", { file, hint: "use a bn128 ceremony file, e.g. the Hermez powersOfTau28_hez_final_NN.ptau" });
  }
  if (!h.prepared) {
    throw new ZkcError("USAGE", "the powers-of-tau file is not prepared for phase 2", { file, hint: "run `snarkjs powersoftau prepare phase2 in.ptau out.ptau` and pass the output" });
  }
  if (h.power < needPower) {
    throw new ZkcError("USAGE", "the powers-of-tau file is too small for this circuit", {
      file,
      expected: `power >= ${needPower}`,
      got: `power ${h.power}`,
      hint: `use a ceremony file of power ${needPower} or more (e.g. powersOfTau28_hez_final_${String(needPower).padStart(2, "0")}.ptau)`,
    });
  }
  return { path: file, power: h.power, development: false, setup: "ptau-file", identity: fileIdentity(file) };
}

/** Adapts snarkjs's logger to progress events for one step. */
function progressLogger(step: ProgressEvent["step"], onProgress?: ProgressFn, fractionOf?: (msg: string) => number | undefined): snarkjs.Logger | undefined {
  if (!onProgress) return undefined;
  const emit = (message: string) => onProgress({ step, message, fraction: fractionOf?.(message) });
  return { debug: emit, info: emit, warn: emit, error: emit };
}

/** Rough share of preparePhase2's work done when each section starts (G2 costs ~3× G1; tauG1 has twice the points). */
const PREPARE_SECTION_START: Record<string, number> = { tauG1: 0, tauG2: 2 / 7, alphaTauG1: 5 / 7, betaTauG1: 6 / 7 };

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** How a locally made ptau is generated; the cache file name says which (never mixed up). */
type LocalGenerator = "random" | "fast" | "beacon";

function devPtauPath(dir: string, power: number, generator: LocalGenerator): string {
  // the random kind has its own prefix so that no seeded file is ever picked up as one
  const stem = generator === "random" ? "zkc-local" : generator === "fast" ? "zkc-dev-fast" : "zkc-dev";
  return path.join(dir, "ptau", `${stem}-bn128-${power}.ptau`);
}

function generatorOf(options: KeyOptions): LocalGenerator {
  if (!options.insecureSeededSetup) {
    if (options.devGenerator) {
      throw new RangeError(`devGenerator "${options.devGenerator}" is a public-seed setup: pass insecureSeededSetup: true to use it`);
    }
    return "random";
  }
  return options.devGenerator ?? "fast";
}

/** The public seed of the insecure development ptau (exported for the forgery test: anyone knows it). */
export const INSECURE_DEV_SEED = "zkc fast development powers of tau: NOT FOR PRODUCTION";

/**
 * The locally generated ptau of exactly `power`, cached. By default from fresh CSPRNG secrets
 * (fastRandomPtau: nobody learns them, the file holds none). With `insecureSeededSetup` the
 * public-seed development file instead: the fast generator, or with `devGenerator: "beacon"`
 * snarkjs (new accumulator, one beacon contribution with a fixed public hash, prepare phase 2);
 * byte-reproducible and therefore forgeable: anyone can recompute tau. Tests only.
 */
export async function devPtau(power: number, options: KeyOptions = {}): Promise<PtauInfo> {
  if (!Number.isInteger(power) || power < 1 || power > MAX_DEV_POWER) {
    throw new RangeError(`devPtau: power must be an integer in [1, ${MAX_DEV_POWER}], got ${power}`);
  }
  const dir = options.cacheDir ?? cacheDir();
  const generator = generatorOf(options);
  const file = devPtauPath(dir, power, generator);
  const seeded = generator !== "random";
  const info = (): PtauInfo => ({ path: file, power, development: seeded, setup: seeded ? "insecure-seeded" : "local-random", identity: fileIdentity(file) });
  const label = seeded ? "INSECURE seeded development ptau" : "local random ptau";
  if (fs.existsSync(file)) {
    options.onProgress?.({ step: "cache-hit", message: `${label} 2^${power} from ${file}`, fraction: 1 });
    return info();
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  // Another process may be preparing the same file: wait for it rather than doing the work twice.
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (fs.existsSync(file)) return info();
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lock).mtimeMs;
      } catch {
        continue; // lock vanished between the two calls: retry
      }
      if (age > 30 * 60_000) fs.rmSync(lock, { force: true }); // stale: its owner died
      options.onProgress?.({ step: "ptau-wait", message: `waiting for another process preparing ${file}` });
      await sleep(250);
    }
  }
  try {
    if (fs.existsSync(file)) return info();
    if (generator !== "beacon") {
      options.onProgress?.({ step: "ptau-prepare", message: `${label} 2^${power}`, fraction: 0 });
      const onSection = (fraction: number) => options.onProgress?.({ step: "ptau-prepare", message: `${label} 2^${power}`, fraction: Math.min(fraction, 0.99) });
      const bytes = generator === "random" ? await fastRandomPtau(power, onSection) : await fastDevPtau(power, INSECURE_DEV_SEED, onSection);
      writeFileAtomic(file, bytes);
      options.onProgress?.({ step: "ptau-prepare", message: `wrote ${file}`, fraction: 1 });
      return info();
    }
    const curve = await snarkjs.curves.getCurveFromName("bn128");
    options.onProgress?.({ step: "ptau-new", message: `new accumulator 2^${power}`, fraction: 0 });
    const fresh: snarkjs.MemFile = { type: "mem" };
    await snarkjs.powersOfTau.newAccumulator(curve, power, fresh, progressLogger("ptau-new", options.onProgress));
    options.onProgress?.({ step: "ptau-beacon", message: "beacon contribution (fixed public hash: development only)" });
    const beaconed: snarkjs.MemFile = { type: "mem" };
    await snarkjs.powersOfTau.beacon(fresh.data!, beaconed, "zkc development beacon", DEV_BEACON, 10, progressLogger("ptau-beacon", options.onProgress));
    const prepared: snarkjs.MemFile = { type: "mem" };
    let lastFraction = 0;
    await snarkjs.powersOfTau.preparePhase2(
      beaconed.data!,
      prepared,
      progressLogger("ptau-prepare", options.onProgress, (msg) => {
        const m = /Starting section: (\w+)/.exec(msg);
        if (m && PREPARE_SECTION_START[m[1]!] !== undefined) lastFraction = PREPARE_SECTION_START[m[1]!]!;
        return lastFraction;
      }),
    );
    if (!prepared.data) throw new ZkcError("INTERNAL", "snarkjs preparePhase2 produced no data", { hint: "this is a bug in zkc; please report it" });
    writeFileAtomic(file, prepared.data);
    options.onProgress?.({ step: "ptau-prepare", message: `wrote ${file}`, fraction: 1 });
    return info();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/**
 * Cached local ptau files usable under `insecure`, smallest power first: the random kind by
 * default, the seeded kinds (either generator) only when the insecure setup was asked for.
 */
function cachedDevFiles(dir: string, insecure: boolean): { power: number; generator: LocalGenerator }[] {
  const pdir = path.join(dir, "ptau");
  if (!fs.existsSync(pdir)) return [];
  return fs
    .readdirSync(pdir)
    .map((f) => /^zkc-(local|dev-fast|dev)-bn128-(\d+)\.ptau$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ power: Number(m[2]), generator: m[1] === "local" ? ("random" as const) : m[1] === "dev-fast" ? ("fast" as const) : ("beacon" as const) }))
    .filter((f) => (f.generator === "random") !== insecure)
    .sort((a, b) => a.power - b.power);
}

/**
 * The ptau to use for a circuit needing `needPower`: the user's file when `ptauPath` is given,
 * else the smallest cached local file of the requested kind that fits (local random by default;
 * seeded, either generator, with `insecureSeededSetup`), else a new one of power
 * max(needPower, minPower).
 */
export async function resolvePtau(needPower: number, options: KeyOptions = {}): Promise<PtauInfo> {
  if (options.ptauPath) return userPtau(options.ptauPath, needPower);
  const dir = options.cacheDir ?? cacheDir();
  const insecure = options.insecureSeededSetup === true;
  generatorOf(options); // refuses a seeded generator that was not explicitly asked for
  const cached = cachedDevFiles(dir, insecure).find((f) => f.power >= needPower);
  if (cached !== undefined) return devPtau(cached.power, { ...options, ...(insecure ? { devGenerator: cached.generator as "fast" | "beacon" } : {}) });
  if (needPower > MAX_DEV_POWER) {
    throw new ZkcError("USAGE", "the circuit is too large for a locally generated ptau", {
      expected: `power <= ${MAX_DEV_POWER}`,
      got: `power ${needPower}`,
      hint: "download a ceremony file (e.g. Hermez powersOfTau28_hez_final) and pass it with --ptau",
    });
  }
  return devPtau(Math.max(needPower, options.minPower ?? 10), options);
}

/**
 * Groth16 setup for a circuit: resolves the ptau, then loads the zkey from the cache
 * (`<cache>/zkey/<digest>.zkey`) or creates it with `zKey.newZKey` followed by one
 * `zKey.contribute` with fresh OS randomness (a zkey without a contribution is forgeable), and
 * exports the verification key.
 * @throws ZkcError USAGE for an unusable --ptau file.
 */
export async function setupGroth16(r1cs: R1cs, options: KeyOptions = {}): Promise<Groth16Keys> {
  const r1csBytes = writeR1cs(r1cs);
  const need = requiredPower(r1cs.constraints.length, r1cs.nPubOut + r1cs.nPubIn);
  const ptau = await resolvePtau(need, options);
  const r1csDigest = sha256Hex(r1csBytes);
  const digest = sha256Hex(r1csBytes, ptau.identity);
  const dir = path.join(options.cacheDir ?? cacheDir(), "zkey");
  const zkeyFile = path.join(dir, `${digest}.zkey`);
  const vkeyFile = path.join(dir, `${digest}.vkey.json`);
  const base = { digest, r1csDigest, ptau, development: ptau.development, setup: ptau.setup, contribution: "random" as const };
  if (fs.existsSync(zkeyFile) && fs.existsSync(vkeyFile)) {
    options.onProgress?.({ step: "cache-hit", message: `zkey ${digest.slice(0, 16)} from cache`, fraction: 1 });
    return { ...base, zkey: new Uint8Array(fs.readFileSync(zkeyFile)), vkey: JSON.parse(fs.readFileSync(vkeyFile, "utf8")) };
  }
  options.onProgress?.({ step: "zkey-new", message: `zkey for ${r1cs.constraints.length} constraints`, fraction: 0 });
  const initial: snarkjs.MemFile = { type: "mem" };
  const rc = await snarkjs.zKey.newZKey(r1csBytes, ptau.path, initial, progressLogger("zkey-new", options.onProgress));
  if (rc === -1 || !initial.data) {
    throw new ZkcError("INTERNAL", "snarkjs could not create the zkey", { file: ptau.path, hint: "this is a bug in zkc (the ptau power was checked); please report it" });
  }
  options.onProgress?.({ step: "zkey-contribute", message: "phase-2 contribution with fresh randomness", fraction: 0.5 });
  const contributed: snarkjs.MemFile = { type: "mem" };
  await snarkjs.zKey.contribute(initial.data, contributed, "zkc setup", randomBytes(32).toString("hex"), progressLogger("zkey-contribute", options.onProgress));
  if (!contributed.data) throw new ZkcError("INTERNAL", "snarkjs zkey contribution produced no data", { hint: "this is a bug in zkc; please report it" });
  const vkey = await snarkjs.zKey.exportVerificationKey(contributed.data);
  writeFileAtomic(zkeyFile, contributed.data);
  writeFileAtomic(vkeyFile, JSON.stringify(vkey));
  options.onProgress?.({ step: "zkey-contribute", message: `cached ${zkeyFile}`, fraction: 1 });
  return { ...base, zkey: contributed.data, vkey };
}

/** snarkjs's Solidity template for Groth16, read from its package (node_modules/snarkjs/templates). */
export function solidityTemplate(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve("snarkjs"); // …/snarkjs/build/main.cjs
  return fs.readFileSync(path.join(path.dirname(main), "..", "templates", "verifier_groth16.sol.ejs"), "utf8");
}

/** Solidity source of a verifier contract for these keys. */
export async function exportSolidityVerifier(keys: Pick<Groth16Keys, "zkey">): Promise<string> {
  return snarkjs.zKey.exportSolidityVerifier(keys.zkey, { groth16: solidityTemplate() });
}

/**
 * Stops snarkjs's worker threads. Call it when done with snarkjs (test teardown, CLI exit):
 * the process does not exit while they run. Later snarkjs calls start them again.
 */
export async function terminateSnarkjs(): Promise<void> {
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  await g.curve_bn128?.terminate();
}

/** Metadata stored beside saved keys (everything in {@link Groth16Keys} except the big blobs). */
interface SavedKeyMeta {
  format: "zkc-groth16-keys/1";
  digest: string;
  r1csDigest: string;
  ptau: PtauInfo;
  development: boolean;
  /** absent in files written before setups were told apart: then development meant seeded */
  setup?: SetupKind;
  contribution: "random";
}

/**
 * Saves keys into an artifacts directory as `<name>.zkey`, `<name>.vkey.json` and
 * `<name>.keys.json` (metadata), each written atomically.
 */
export function saveGroth16Keys(dir: string, name: string, keys: Groth16Keys): void {
  const meta: SavedKeyMeta = {
    format: "zkc-groth16-keys/1",
    digest: keys.digest,
    r1csDigest: keys.r1csDigest,
    ptau: keys.ptau,
    development: keys.development,
    setup: keys.setup,
    contribution: keys.contribution,
  };
  writeFileAtomic(path.join(dir, `${name}.zkey`), keys.zkey);
  writeFileAtomic(path.join(dir, `${name}.vkey.json`), JSON.stringify(keys.vkey, null, 1));
  writeFileAtomic(path.join(dir, `${name}.keys.json`), JSON.stringify(meta, null, 1));
}

/**
 * Loads keys saved by {@link saveGroth16Keys}.
 * @throws ZkcError USAGE naming the file when one is missing or not zkc key metadata.
 */
export function loadGroth16Keys(dir: string, name: string): Groth16Keys {
  const read = (suffix: string): Buffer => {
    const file = path.join(dir, `${name}${suffix}`);
    try {
      return fs.readFileSync(file);
    } catch {
      throw new ZkcError("USAGE", "a Groth16 key file is missing", { file, hint: "run `zkc compile` again to regenerate the keys" });
    }
  };
  const metaFile = path.join(dir, `${name}.keys.json`);
  let meta: SavedKeyMeta;
  let vkey: snarkjs.VerificationKey;
  try {
    meta = JSON.parse(read(".keys.json").toString("utf8"));
    vkey = JSON.parse(read(".vkey.json").toString("utf8"));
  } catch (e) {
    if (e instanceof ZkcError) throw e;
    throw new ZkcError("USAGE", "Groth16 key metadata is not valid JSON", { file: metaFile, hint: "run `zkc compile` again to regenerate the keys" });
  }
  if (meta.format !== "zkc-groth16-keys/1") {
    throw new ZkcError("USAGE", "not zkc Groth16 key metadata", { file: metaFile, expected: "zkc-groth16-keys/1", got: String(meta.format) });
  }
  const setup: SetupKind = meta.setup ?? (meta.development ? "insecure-seeded" : "ptau-file");
  return {
    zkey: new Uint8Array(read(".zkey")),
    vkey,
    digest: meta.digest,
    r1csDigest: meta.r1csDigest,
    ptau: { ...meta.ptau, setup: meta.ptau.setup ?? setup },
    development: meta.development,
    setup,
    contribution: meta.contribution,
  };
}
