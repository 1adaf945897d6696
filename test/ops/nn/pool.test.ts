/**
 * MaxPool, AveragePool and the global pools against onnxruntime over a seeded sweep of window
 * configurations (ceil_mode, pads, strides, dilations, auto_pad, count_include_pad), plus errors.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { AveragePool_1 } from "../../../compiler/ops/average-pool.js";
import { MaxPool_1 } from "../../../compiler/ops/max-pool.js";
import { MaxUnpool_9 } from "../../../compiler/ops/max-unpool.js";
import { againstOrt, closeness, ctxFor, randomTensor, rng } from "./helpers.js";

type Attrs = Record<string, number | number[] | string>;

/** Seeded window configurations over a 2-D input; SAME_* only without dilation (onnxruntime's limit). */
function sweep(seed: number, count: number): { x: number[]; attrs: Attrs }[] {
  const next = rng(seed);
  const pick = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const out: { x: number[]; attrs: Attrs }[] = [];
  while (out.length < count) {
    const k = [pick(1, 3), pick(2, 4)];
    const s = [pick(1, 3), pick(1, 2)];
    const x = [pick(1, 2), pick(1, 3), pick(5, 9), pick(5, 9)];
    const mode = pick(0, 3);
    const attrs: Attrs = { kernel_shape: k, strides: s };
    if (mode === 0) {
      attrs.auto_pad = next() < 0.5 ? "SAME_UPPER" : "SAME_LOWER";
      // onnxruntime errors when the SAME padding formula goes negative (stride > kernel); zkc
      // clamps it to 0, tested in conv-geometry.test.ts
      const negative = [0, 1].some((a) => (Math.ceil(x[a + 2]! / s[a]!) - 1) * s[a]! + k[a]! - x[a + 2]! < 0);
      if (negative) continue;
    }
    else if (mode === 1) attrs.auto_pad = "VALID";
    else {
      const d = [pick(1, 2), pick(1, 2)];
      // pads smaller than the kernel, as runtimes require
      const pads = [pick(0, k[0]! - 1), pick(0, k[1]! - 1), pick(0, k[0]! - 1), pick(0, k[1]! - 1)];
      attrs.dilations = d;
      attrs.pads = pads;
      attrs.ceil_mode = pick(0, 1);
    }
    out.push({ x, attrs });
  }
  return out;
}

function expectError(f: () => unknown, code: string, reason: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ZkcError);
  expect((err as ZkcError).code).toBe(code);
  expect((err as ZkcError).message).toMatch(reason);
}

describe("MaxPool against onnxruntime", () => {
  sweep(7, 20).forEach((c, i) => {
    it(`config ${i}: x [${c.x}] ${JSON.stringify(c.attrs)}`, async () => {
      const next = rng(500 + i);
      const r = await againstOrt({ op: "MaxPool", opset: 13, inputs: [{ name: "x", value: randomTensor(next, c.x) }], outputs: ["y"], attrs: c.attrs });
      expect(r[0]!.zkc.shape).toEqual(r[0]!.ort.shape);
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  });
  for (const order of [0, 1]) {
    it(`Indices output, storage_order=${order}`, async () => {
      const next = rng(77 + order);
      const r = await againstOrt({
        op: "MaxPool",
        opset: 13,
        inputs: [{ name: "x", value: randomTensor(next, [2, 3, 6, 5]) }],
        outputs: ["y", "idx"],
        attrs: { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 1, 1], storage_order: order },
      });
      for (const o of r) {
        expect(o.zkc.shape).toEqual(o.ort.shape);
        expect(closeness(o.zkc, o.ort, 0, 0)).toBe(0);
      }
    });
  }
});

describe("AveragePool against onnxruntime", () => {
  sweep(11, 24).forEach((c, i) => {
    const attrs: Attrs = { ...c.attrs, count_include_pad: i % 2 };
    // cover ceil_mode x count_include_pad on the explicit-pad configs
    if ("ceil_mode" in attrs) attrs.ceil_mode = (i >> 1) % 2;
    // onnxruntime 1.30 implements AveragePool dilations only from opset 19
    it(`config ${i}: x [${c.x}] ${JSON.stringify(attrs)}`, async () => {
      const next = rng(900 + i);
      const r = await againstOrt({ op: "AveragePool", opset: 19, inputs: [{ name: "x", value: randomTensor(next, c.x) }], outputs: ["y"], attrs });
      expect(r[0]!.zkc.shape).toEqual(r[0]!.ort.shape);
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  });
});

describe("global pools against onnxruntime", () => {
  for (const op of ["GlobalAveragePool", "GlobalMaxPool"]) {
    for (const shape of [[2, 3, 5], [1, 4, 3, 6], [2, 2, 2, 3, 4]]) {
      it(`${op} on [${shape}]`, async () => {
        const r = await againstOrt({ op, opset: 13, inputs: [{ name: "x", value: randomTensor(rng(shape.length), shape) }], outputs: ["y"] });
        expect(r[0]!.zkc.shape).toEqual(r[0]!.ort.shape);
        expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
      });
    }
  }
});

describe("pooling by hand and errors", () => {
  it("AveragePool divisor with and without count_include_pad", () => {
    // 1x1x2x2 input, 2x2 window, pads 1 on all sides, stride 2: each window holds one input value
    const x = tensorOf("float32", [1, 1, 2, 2], [4, 8, 12, 16]);
    const attrs = { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] };
    const [excl] = AveragePool_1.run([x], ctxFor("AveragePool", attrs));
    expect([...excl!.data]).toEqual([4, 8, 12, 16]);
    const [incl] = AveragePool_1.run([x], ctxFor("AveragePool", { ...attrs, count_include_pad: 1 }));
    expect([...incl!.data]).toEqual([1, 2, 3, 4]);
  });
  it("MaxPool ignores padding even when every value is negative", () => {
    const x = tensorOf("float32", [1, 1, 1, 3], [-5, -2, -7]);
    const [y] = MaxPool_1.run([x], ctxFor("MaxPool", { kernel_shape: [1, 2], pads: [0, 1, 0, 1] }));
    expect([...y!.data]).toEqual([-5, -2, -2, -7]);
  });
  it("MaxUnpool puts MaxPool's maxima back at their indices, zero elsewhere; bad indices are INPUT errors", () => {
    const next = rng(123);
    const x = randomTensor(next, [1, 2, 4, 4]);
    const attrs = { kernel_shape: [2, 2], strides: [2, 2] };
    const [y, idx] = MaxPool_1.run([x], ctxFor("MaxPool", attrs, 17, ["y", "i"]));
    const [u] = MaxUnpool_9.run([y!, idx!], ctxFor("MaxUnpool", attrs));
    expect(u!.shape).toEqual([1, 2, 4, 4]);
    const kept = new Set([...idx!.data]);
    for (let i = 0; i < 32; i++) expect(u!.data[i]).toBe(kept.has(i) ? x.data[i] : 0);
    const bad = { ...idx!, data: Float64Array.from(idx!.data, (v, i) => (i === 0 ? 32 : v)) };
    try {
      MaxUnpool_9.run([y!, bad], ctxFor("MaxUnpool", attrs));
      expect.unreachable();
    } catch (e) {
      expect((e as ZkcError).code).toBe("INPUT");
    }
  });
  it("rejects rank < 3, a missing kernel_shape and bad storage_order", () => {
    const info = (shape: number[]) => ({ dtype: "float32" as const, shape });
    expectError(() => MaxPool_1.infer([info([3, 4])], ctxFor("MaxPool", { kernel_shape: [2] })), "SHAPE", /rank >= 3/);
    expectError(() => AveragePool_1.infer([info([1, 1, 4, 4])], ctxFor("AveragePool")), "ATTRIBUTE", /kernel_shape/);
    expectError(() => MaxPool_1.infer([info([1, 1, 4, 4])], ctxFor("MaxPool", { kernel_shape: [2, 2], storage_order: 2 })), "ATTRIBUTE", /storage_order/);
    expectError(() => MaxPool_1.infer([info([1, 1, 2, 2])], ctxFor("MaxPool", { kernel_shape: [3, 3] })), "SHAPE", /smaller than the dilated kernel/);
  });
});
