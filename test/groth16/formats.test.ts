/**
 * The .r1cs and .wtns writers, checked by snarkjs's own readers (`r1cs.info`, `wtns.check`),
 * byte-level header facts, and the rule that setup (dummy inputs) and prover (real inputs)
 * produce the same .r1cs bytes.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import {
  checkUnderConstrained,
  FIELD_MODULUS,
  R1csBuilder,
  readWtns,
  terminateSnarkjs,
  writeR1cs,
  writeWtns,
  type BuiltCircuit,
} from "../../backends/groth16/index.js";
import { argmaxCircuit, mlpCircuit } from "./kernels.js";
import { tamper } from "./helpers.js";

afterAll(async () => {
  await terminateSnarkjs();
});

const quiet: snarkjs.Logger = { debug() {}, info() {}, warn() {}, error() {} };

function build<T>(def: (b: R1csBuilder, v: T) => void, v: T): BuiltCircuit {
  const b = new R1csBuilder();
  def(b, v);
  const built = b.build();
  expect(checkUnderConstrained(built.r1cs).ok).toBe(true);
  return built;
}

describe(".r1cs writer", () => {
  const built = build(mlpCircuit, [7n, -12n, 30n, -3n]);

  it("snarkjs reads back the counts", async () => {
    const info = await snarkjs.r1cs.info(writeR1cs(built.r1cs));
    expect(info.nVars).toBe(built.r1cs.nWires);
    expect(info.nOutputs).toBe(1);
    expect(info.nPubInputs).toBe(4);
    expect(info.nPrvInputs).toBe(0);
    expect(info.nConstraints).toBe(built.r1cs.constraints.length);
    expect(info.prime).toBe(FIELD_MODULUS);
  });

  it("has the documented header: magic, version 1, BN254 r little-endian", () => {
    const bytes = writeR1cs(built.r1cs);
    const view = new DataView(bytes.buffer);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe("r1cs");
    expect(view.getUint32(4, true)).toBe(1);
    expect(view.getUint32(8, true)).toBe(3);
    expect(view.getUint32(12, true)).toBe(1); // first section: header
    expect(view.getUint32(24, true)).toBe(32); // n8
    let r = 0n;
    for (let i = 31; i >= 0; i--) r = (r << 8n) | BigInt(bytes[28 + i]!);
    expect(r).toBe(FIELD_MODULUS);
  });

  it("snarkjs's r1csfile parser reads every constraint back term by term, and the wire map", async () => {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped snarkjs dependency */
    const r1csfile: any = await import("r1csfile" as string);
    const parsed = await r1csfile.readR1cs({ type: "mem", data: writeR1cs(built.r1cs) }, { loadConstraints: true, loadMap: true, singleThread: true });
    try {
      const Fr = parsed.curve.Fr;
      const terms = (lc: Record<string, Uint8Array>) => Object.entries(lc).map(([w, c]) => `${w}:${Fr.toObject(c)}`).sort();
      const ours = (t: readonly (readonly [number, bigint])[]) => t.map(([w, c]) => `${w}:${((c % FIELD_MODULUS) + FIELD_MODULUS) % FIELD_MODULUS}`).sort();
      expect(parsed.constraints.length).toBe(built.r1cs.constraints.length);
      built.r1cs.constraints.forEach((k, i) => {
        const [a, b, c] = parsed.constraints[i];
        expect([terms(a), terms(b), terms(c)]).toEqual([ours(k.a), ours(k.b), ours(k.c)]);
      });
      expect(parsed.map).toEqual(Array.from({ length: built.r1cs.nWires }, (_, i) => i));
    } finally {
      await parsed.curve.terminate();
    }
  });

  it("setup-time (zero inputs) and prove-time builds give identical bytes", () => {
    const zero = build(mlpCircuit, [0n, 0n, 0n, 0n]);
    const other = build(mlpCircuit, [-32n, 31n, 0n, 5n]);
    expect(Buffer.from(writeR1cs(zero.r1cs)).equals(Buffer.from(writeR1cs(built.r1cs)))).toBe(true);
    expect(Buffer.from(writeR1cs(other.r1cs)).equals(Buffer.from(writeR1cs(built.r1cs)))).toBe(true);
    // while the witnesses differ
    expect(zero.witness).not.toEqual(built.witness);
  });
});

describe(".wtns writer", () => {
  it("round-trips and is accepted by snarkjs's wtns.check", async () => {
    const built = build(mlpCircuit, [7n, -12n, 30n, -3n]);
    const wtns = writeWtns(built.witness);
    expect(readWtns(wtns)).toEqual(built.witness);
    expect(await snarkjs.wtns.check(writeR1cs(built.r1cs), wtns, quiet)).toBe(true);
  });

  it("snarkjs's wtns.check rejects a changed output, input and internal wire", async () => {
    const built = build(argmaxCircuit, [4n, -9n, 4n, 100n]);
    const r1cs = writeR1cs(built.r1cs);
    for (const w of [1, 2, built.r1cs.nWires - 1]) {
      expect(await snarkjs.wtns.check(r1cs, writeWtns(tamper(built.witness, w)), quiet)).toBe(false);
    }
  });

  it("stores every limb: values at the 32- and 64-bit boundaries and r - 1 read back unchanged", () => {
    const values = [1n, 0n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 192n + 5n, FIELD_MODULUS - 1n];
    expect(readWtns(writeWtns(values))).toEqual(values);
  });

  it("negative values are stored as r - |v|", () => {
    const b = new R1csBuilder();
    b.privateInput(-1n);
    const values = readWtns(writeWtns(b.build().witness));
    expect(values).toEqual([1n, FIELD_MODULUS - 1n]);
  });
});
