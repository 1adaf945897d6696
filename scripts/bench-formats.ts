/**
 * `.r1cs` / `.wtns` writer benchmark (`npm run bench:formats -- [constraints]`): zkc's
 * backends/groth16/formats.ts against the same files written the way snarkjs writes them
 * (@iden3/binfileutils sections over a fastfile memory file, field elements by writeBigInt), and
 * the written `.r1cs` parsed back by r1csfile (snarkjs's own reader) as the correctness check.
 * Both libraries come with snarkjs. Best of three runs each; byte-identical output is required.
 */
import { FIELD_MODULUS } from "../backends/groth16/field.js";
import { writeR1cs, writeWtns } from "../backends/groth16/formats.js";
import type { Constraint, R1cs } from "../backends/groth16/r1cs.js";
import { bestMsAsync } from "./best-of.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JS libraries */
const bin: any = await import("@iden3/binfileutils" as string);
const r1csfile: any = await import("r1csfile" as string);

const nConstraints = Number(process.argv[2] ?? 200_000);
const nWires = nConstraints + 1000;
let s = 0x2545f491n;
const next = () => (s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 256n) - 1n)) % FIELD_MODULUS;
const wire = (i: number, k: number) => (i * 7919 + k * 104729) % nWires;
const constraints: Constraint[] = Array.from({ length: nConstraints }, (_, i) => ({
  a: [[wire(i, 1), next()], [wire(i, 2), 1n]],
  b: [[wire(i, 3), next()]],
  c: [[wire(i, 4), FIELD_MODULUS - 1n], [0, next()]],
}));
const r1cs: R1cs = { nWires, nPubOut: 1, nPubIn: 10, nPrvIn: 100, constraints, wireNames: [], constraintNames: [] };
const witness = Array.from({ length: nWires }, (_, i) => (i === 0 ? 1n : next()));

const best = <T>(fn: () => Promise<T> | T) => bestMsAsync(3, fn);

/** A memory binfile with its header section (n8, the prime, then `counts`) written. */
async function withHeader(magic: string, version: number, nSections: number, counts: (fd: any) => Promise<void>): Promise<[any, { type: "mem"; data?: Uint8Array }]> {
  const file: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  const fd = await bin.createBinFile(file, magic, version, nSections);
  await bin.startWriteSection(fd, 1);
  await fd.writeULE32(32);
  await bin.writeBigInt(fd, FIELD_MODULUS, 32);
  await counts(fd);
  await bin.endWriteSection(fd);
  return [fd, file];
}

async function binfileR1cs(): Promise<Uint8Array> {
  const [fd, file] = await withHeader("r1cs", 1, 3, async (fd) => {
    for (const v of [nWires, r1cs.nPubOut, r1cs.nPubIn, r1cs.nPrvIn]) await fd.writeULE32(v);
    await fd.writeULE64(nWires);
    await fd.writeULE32(nConstraints);
  });
  await bin.startWriteSection(fd, 2);
  for (const k of constraints) {
    for (const t of [k.a, k.b, k.c]) {
      await fd.writeULE32(t.length);
      for (const [w, c] of t) {
        await fd.writeULE32(w);
        await bin.writeBigInt(fd, c, 32);
      }
    }
  }
  await bin.endWriteSection(fd);
  await bin.startWriteSection(fd, 3);
  for (let i = 0; i < nWires; i++) await fd.writeULE64(i);
  await bin.endWriteSection(fd);
  await fd.close();
  return file.data!;
}

async function binfileWtns(): Promise<Uint8Array> {
  const [fd, file] = await withHeader("wtns", 2, 2, (fd) => fd.writeULE32(witness.length));
  await bin.startWriteSection(fd, 2);
  for (const v of witness) await bin.writeBigInt(fd, v, 32);
  await bin.endWriteSection(fd);
  await fd.close();
  return file.data!;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const [oursR1csMs, oursR1cs] = await best(() => writeR1cs(r1cs));
const [libR1csMs, libR1cs] = await best(binfileR1cs);
if (!same(oursR1cs, libR1cs)) throw new Error("the two .r1cs writers disagree");
const [oursWtnsMs, oursWtns] = await best(() => writeWtns(witness));
const [libWtnsMs, libWtns] = await best(binfileWtns);
if (!same(oursWtns, libWtns)) throw new Error("the two .wtns writers disagree");
// r1csfile parses ours back to the same system
const t0 = performance.now();
const parsed = await r1csfile.readR1cs({ type: "mem", data: oursR1cs }, { loadConstraints: true, loadMap: true, singleThread: true });
const readMs = performance.now() - t0;
const F = parsed.curve.Fr;
const back = (lc: Record<string, Uint8Array>) => Object.entries(lc).map(([w, c]) => [Number(w), F.toObject(c)] as const);
for (const i of [0, 1, nConstraints >> 1, nConstraints - 1]) {
  const [a, b, c] = parsed.constraints[i];
  const k = constraints[i]!;
  const norm = (t: Constraint["a"]) => JSON.stringify([...t].map(([w, v]): [number, string] => [w, String(v)]).sort((x, y) => x[0] - y[0]));
  if (norm(back(a)) !== norm(k.a) || norm(back(b)) !== norm(k.b) || norm(back(c)) !== norm(k.c)) throw new Error(`r1csfile reads constraint ${i} differently`);
}
if (parsed.nConstraints !== nConstraints || parsed.nVars !== nWires || parsed.map.length !== nWires) throw new Error("r1csfile reads a different header or map");
await parsed.curve.terminate();
const mb = (b: Uint8Array) => (b.length / 2 ** 20).toFixed(1);
console.log(`.r1cs ${nConstraints} constraints (${mb(oursR1cs)} MiB): zkc ${oursR1csMs.toFixed(0)} ms, binfileutils ${libR1csMs.toFixed(0)} ms; r1csfile reads it back in ${readMs.toFixed(0)} ms`);
console.log(`.wtns ${witness.length} values (${mb(oursWtns)} MiB): zkc ${oursWtnsMs.toFixed(0)} ms, binfileutils ${libWtnsMs.toFixed(0)} ms`);
process.exit(0);
