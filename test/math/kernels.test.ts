import { describe, expect, it } from "vitest";
import { FR_MODULUS as P, R_INV, R_MOD, modInverse } from "../../backends/math/fr-constants.js";
import { initKernels, kernels, tsKernels, useKernels, wasmKernels, type FrKernels } from "../../backends/math/kernels.js";
import { emitFrModule } from "../../backends/math/wasm/fr-module.js";
import { makeRng } from "./rng.js";

const mod = (x: bigint): bigint => ((x % P) + P) % P;

function put(k: FrKernels, e: number, v: bigint): void {
  for (let j = 0; j < 8; j++) k.heap[8 * e + j] = Number((v >> BigInt(32 * j)) & 0xffffffffn);
}
function get(k: FrKernels, e: number): bigint {
  let v = 0n;
  for (let j = 7; j >= 0; j--) v = (v << 32n) | BigInt(k.heap[8 * e + j]!);
  return v;
}

const wasm = wasmKernels();

describe("Fr kernels: emitted wasm vs pure TS", () => {
  it("wasm compiles here (Node) and the emitted bytes are deterministic", () => {
    expect(wasm).not.toBeNull();
    expect(emitFrModule()).toEqual(emitFrModule());
    expect(WebAssembly.validate(emitFrModule() as BufferSource)).toBe(true);
  });

  it("every kernel gives identical limbs on random vectors, and both match bigint", () => {
    const ts = tsKernels();
    const rng = makeRng(11);
    const n = 257;
    // raw limb values are Montgomery representatives: any canonical value is a valid input
    const a = Array.from({ length: n }, rng.fieldWithEdges);
    const b = Array.from({ length: n }, rng.fieldWithEdges);
    const ks = Int32Array.from({ length: n }, (_, i) => (i < 4 ? [0, -1, 2147483647, -2147483648][i]! : rng.int32()));
    const r = rng.field();
    const results = [wasm!, ts].map((k) => {
      const [A, B, OUT, R, ACC] = [0, n, 2 * n, 3 * n, 3 * n + 1];
      const KW = 8 * (3 * n + 2);
      a.forEach((v, i) => put(k, A + i, v));
      b.forEach((v, i) => put(k, B + i, v));
      put(k, R, r);
      new Int32Array(k.heap.buffer, k.heap.byteOffset).set(ks, KW);
      const out: Record<string, bigint[]> = {};
      const grab = (name: string): void => {
        out[name] = Array.from({ length: n }, (_, i) => get(k, OUT + i));
      };
      k.add(OUT, A, B, n);
      grab("add");
      k.sub(OUT, A, B, n);
      grab("sub");
      k.mul(OUT, A, B, n, 1);
      grab("mul");
      k.mul(OUT, A, R, n, 0);
      grab("mulScalar");
      k.mulSmall(OUT, A, 1, KW, n);
      grab("mulSmall");
      k.mulSmall(OUT, R, 0, KW, n);
      grab("mulSmallScalar");
      b.forEach((v, i) => put(k, OUT + i, v));
      k.mulSmallAdd(OUT, A, 1, KW, n);
      grab("mulSmallAdd");
      k.fold(OUT, A, B, R, n);
      grab("fold");
      put(k, ACC, 5n);
      k.dotInto(ACC, A, B, n);
      out.dot = [get(k, ACC)];
      put(k, ACC, 7n);
      k.sumInto(ACC, A, n);
      out.sum = [get(k, ACC)];
      return out;
    });
    expect(results[0]).toEqual(results[1]);
    const got = results[0]!;
    let dot = 5n;
    let sum = 7n;
    for (let i = 0; i < n; i++) {
      expect(got.add![i]).toBe(mod(a[i]! + b[i]!));
      expect(got.sub![i]).toBe(mod(a[i]! - b[i]!));
      expect(got.mul![i]).toBe(mod(a[i]! * b[i]! * R_INV));
      expect(got.mulScalar![i]).toBe(mod(a[i]! * r * R_INV));
      expect(got.mulSmall![i]).toBe(mod(a[i]! * BigInt(ks[i]!)));
      expect(got.mulSmallScalar![i]).toBe(mod(r * BigInt(ks[i]!)));
      expect(got.mulSmallAdd![i]).toBe(mod(b[i]! + a[i]! * BigInt(ks[i]!)));
      expect(got.fold![i]).toBe(mod(a[i]! + r * R_INV * (b[i]! - a[i]!)));
      dot += a[i]! * b[i]! * R_INV;
      sum += a[i]!;
    }
    expect(got.dot![0]).toBe(mod(dot));
    expect(got.sum![0]).toBe(mod(sum));
  });

  it("mulSmall handles products just below a multiple of r (quotient estimate overshoot)", () => {
    // a*k = m*r - 1 (or - small): the double-precision quotient rounds up to m, which the kernel
    // must detect and correct by adding r back.
    const cases: [bigint, number][] = [];
    for (const k of [3, 7, 65537, 2147483647, -2147483648, 1000003, -999999937]) {
      const kk = BigInt(k);
      const kInv = modInverse(mod(kk), P);
      for (const target of [P - 1n, P - 2n, P - 1000n, 1n, 0n]) cases.push([mod(target * kInv), k]);
    }
    for (const k of [wasm!, tsKernels()]) {
      const kw = 8 * 2 * cases.length;
      cases.forEach(([a], i) => put(k, i, a));
      new Int32Array(k.heap.buffer, k.heap.byteOffset).set(Int32Array.from(cases, ([, kk]) => kk), kw);
      k.mulSmall(cases.length, 0, 1, kw, cases.length);
      cases.forEach(([a, kk], i) => expect(get(k, cases.length + i)).toBe(mod(a * BigInt(kk))));
    }
  });

  it("selection: useKernels switches, initKernels (the async path browsers use) selects wasm", async () => {
    expect(useKernels("ts")).toBe("ts");
    expect(kernels().kind).toBe("ts");
    expect(await initKernels()).toBe("wasm");
    expect(kernels().kind).toBe("wasm");
  });

  it("Montgomery constants: R mod r times R^-1 is 1", () => {
    expect(mod(R_MOD * R_INV)).toBe(1n);
  });
});
