/** Conv against onnxruntime on seeded random inputs (shapes ONNX's cases do not cover), plus errors. */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { Conv_1 } from "../../../compiler/ops/conv.js";
import { ConvTranspose_1 } from "../../../compiler/ops/conv-transpose.js";
import { againstOrt, closeness, ctxFor, randomTensor, rng } from "./helpers.js";

const info = (shape: number[]) => ({ dtype: "float32" as const, shape });

function expectError(f: () => unknown, code: string, reason: RegExp, op = "Conv"): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ZkcError);
  expect((err as ZkcError).code).toBe(code);
  expect((err as ZkcError).message).toMatch(reason);
  expect((err as ZkcError).message).toContain(`node "n0" (${op})`);
}

interface ConvCase {
  name: string;
  x: number[];
  w: number[];
  bias?: boolean;
  attrs: Record<string, number | number[] | string>;
  ortAttrs?: Record<string, number | number[] | string>;
}

const CASES: ConvCase[] = [
  // onnxruntime rejects dilation with SAME_*: it gets the explicit pads the ONNX spec formula gives,
  // total = (ceil(in/s) - 1) * s + (k - 1) * d + 1 - in: height (10, s 2) 3 -> UPPER 1+2, LOWER 2+1;
  // width (8, s 1) 4 -> 2+2
  {
    name: "depthwise 2D, dilation 2, SAME_UPPER, stride [2,1]",
    x: [1, 4, 10, 8],
    w: [4, 1, 3, 3],
    attrs: { group: 4, dilations: [2, 2], auto_pad: "SAME_UPPER", strides: [2, 1] },
    ortAttrs: { group: 4, dilations: [2, 2], pads: [1, 2, 2, 2], strides: [2, 1] },
  },
  {
    name: "depthwise 2D, dilation 2, SAME_LOWER, stride [2,1], bias",
    x: [1, 4, 10, 8],
    w: [4, 1, 3, 3],
    bias: true,
    attrs: { group: 4, dilations: [2, 2], auto_pad: "SAME_LOWER", strides: [2, 1] },
    ortAttrs: { group: 4, dilations: [2, 2], pads: [2, 2, 1, 2], strides: [2, 1] },
  },
  { name: "depthwise 2D, SAME_LOWER, even kernel, stride 2", x: [1, 3, 7, 6], w: [3, 1, 2, 4], bias: true, attrs: { group: 3, auto_pad: "SAME_LOWER", strides: [2, 2] } },
  { name: "grouped 2D (2 groups), dilation [1,2], bias, batch 2", x: [2, 6, 7, 9], w: [4, 3, 3, 2], bias: true, attrs: { group: 2, dilations: [1, 2], pads: [1, 0, 2, 1] } },
  { name: "depth multiplier 2 (group 3, 6 outputs), VALID, stride 2", x: [1, 3, 8, 8], w: [6, 1, 3, 3], attrs: { group: 3, auto_pad: "VALID", strides: [2, 2] } },
  { name: "1D, pads [2,1], stride 3, dilation 2, bias", x: [2, 3, 11], w: [5, 3, 4], bias: true, attrs: { pads: [2, 1], strides: [3], dilations: [2] } },
  { name: "3D, asymmetric pads, stride [1,2,1]", x: [1, 2, 5, 6, 4], w: [3, 2, 2, 3, 2], attrs: { pads: [1, 0, 1, 1, 1, 0], strides: [1, 2, 1] } },
  { name: "LeNet conv1 with explicit kernel_shape", x: [1, 1, 28, 28], w: [6, 1, 5, 5], bias: true, attrs: { kernel_shape: [5, 5], pads: [2, 2, 2, 2] } },
];

describe("Conv against onnxruntime", () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const next = rng(1000 + i);
      const inputs = [
        { name: "x", value: randomTensor(next, c.x) },
        { name: "w", value: randomTensor(next, c.w) },
      ];
      if (c.bias) inputs.push({ name: "b", value: randomTensor(next, [c.w[0]!]) });
      const r = await againstOrt({ op: "Conv", opset: 13, inputs, outputs: ["y"], attrs: c.attrs, ortAttrs: c.ortAttrs });
      expect(r[0]!.zkc.shape).toEqual(r[0]!.ort.shape);
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  });

  it("a hand-computed 1D case, and a wrong value is caught", () => {
    // x = [1, 2, 3, 4], w = [1, -1], pad 1 each side: [0-1, 1-2, 2-3, 3-4, 4-0] = [-1, -1, -1, -1, 4]
    const x = tensorOf("float32", [1, 1, 4], [1, 2, 3, 4]);
    const w = tensorOf("float32", [1, 1, 2], [1, -1]);
    const [y] = Conv_1.run([x, w], ctxFor("Conv", { pads: [1, 1] }));
    expect(y!.shape).toEqual([1, 1, 5]);
    expect([...y!.data]).toEqual([-1, -1, -1, -1, 4]);
    expect(closeness(y!, { shape: [1, 1, 5], data: [-1, -1, -1, -1, 3] })).toBeGreaterThan(0);
  });
});

describe("Conv shape rule", () => {
  it("infers the output shape", () => {
    const out = Conv_1.infer([info([1, 4, 9, 8]), info([4, 1, 3, 3])], ctxFor("Conv", { group: 4, auto_pad: "SAME_UPPER", strides: [2, 1] }));
    expect(out[0]!.shape).toEqual([1, 4, 5, 8]);
  });
  it("rejects input channels that do not match weight channels times group", () => {
    expectError(() => Conv_1.infer([info([1, 4, 5, 5]), info([2, 3, 3, 3])], ctxFor("Conv")), "SHAPE", /input channels do not match/);
    expectError(() => Conv_1.infer([info([1, 4, 5, 5]), info([4, 1, 3, 3])], ctxFor("Conv", { group: 2 })), "SHAPE", /input channels do not match/);
  });
  it("rejects output channels not divisible by group", () => {
    expectError(() => Conv_1.infer([info([1, 6, 5, 5]), info([4, 2, 3, 3])], ctxFor("Conv", { group: 3 })), "SHAPE", /divisible by group/);
  });
  it("rejects a wrong bias, a wrong weight rank and a kernel_shape that disagrees with W", () => {
    expectError(() => Conv_1.infer([info([1, 2, 5, 5]), info([3, 2, 3, 3]), info([2])], ctxFor("Conv")), "SHAPE", /bias/);
    expectError(() => Conv_1.infer([info([1, 2, 5, 5]), info([3, 2, 3])], ctxFor("Conv")), "SHAPE", /same rank/);
    expectError(() => Conv_1.infer([info([1, 2, 5, 5]), info([3, 2, 3, 3])], ctxFor("Conv", { kernel_shape: [3, 2] })), "SHAPE", /kernel_shape/);
  });
  it("rejects an input smaller than the dilated kernel", () => {
    expectError(() => Conv_1.infer([info([1, 1, 4, 4]), info([1, 1, 3, 3])], ctxFor("Conv", { dilations: [2, 2] })), "SHAPE", /smaller than the dilated kernel/);
  });
  it("rejects malformed window attributes with ATTRIBUTE", () => {
    expectError(() => Conv_1.infer([info([1, 1, 5, 5]), info([1, 1, 3, 3])], ctxFor("Conv", { pads: [1, 1, 1] })), "ATTRIBUTE", /"pads" has 3 values/);
    expectError(() => Conv_1.infer([info([1, 1, 5, 5]), info([1, 1, 3, 3])], ctxFor("Conv", { strides: [0, 1] })), "ATTRIBUTE", /positive/);
    expectError(() => Conv_1.infer([info([1, 1, 5, 5]), info([1, 1, 3, 3])], ctxFor("Conv", { auto_pad: "SAME" })), "ATTRIBUTE", /auto_pad/);
    expectError(() => Conv_1.infer([info([1, 1, 5, 5]), info([1, 1, 3, 3])], ctxFor("Conv", { auto_pad: "VALID", pads: [1, 1, 1, 1] })), "ATTRIBUTE", /cannot be combined/);
  });
});

describe("ConvTranspose against onnxruntime", () => {
  const cases: ConvCase[] = [
    { name: "2D, 2 groups, stride 2, dilation [1,2], pads, output_padding, bias", x: [2, 4, 4, 3], w: [4, 3, 3, 2], bias: true, attrs: { group: 2, strides: [2, 2], dilations: [1, 2], pads: [1, 0, 0, 1], output_padding: [1, 0] } },
    { name: "1D, stride 3", x: [1, 2, 5], w: [2, 3, 4], attrs: { strides: [3] } },
    { name: "depthwise 2D, stride [1,2]", x: [1, 3, 4, 4], w: [3, 1, 2, 3], attrs: { group: 3, strides: [1, 2], pads: [0, 1, 0, 1] } },
  ];
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const next = rng(2000 + i);
      const inputs = [
        { name: "x", value: randomTensor(next, c.x) },
        { name: "w", value: randomTensor(next, c.w) },
      ];
      if (c.bias) inputs.push({ name: "b", value: randomTensor(next, [c.w[1]! * Number(c.attrs.group ?? 1)]) });
      const r = await againstOrt({ op: "ConvTranspose", opset: 13, inputs, outputs: ["y"], attrs: c.attrs });
      expect(r[0]!.zkc.shape).toEqual(r[0]!.ort.shape);
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  });
  it("rejects a weight whose first dim is not the input channels, and a wrong bias", () => {
    const ctx = ctxFor("ConvTranspose");
    expectError(() => ConvTranspose_1.infer([info([1, 4, 3, 3]), info([2, 2, 3, 3])], ctx), "SHAPE", /first dim must equal the input channels/, "ConvTranspose");
    expectError(() => ConvTranspose_1.infer([info([1, 4, 3, 3]), info([4, 2, 3, 3]), info([4])], ctx), "SHAPE", /bias/, "ConvTranspose");
    expectError(() => ConvTranspose_1.infer([info([1, 4, 3, 3]), info([4, 2, 3, 3])], ctxFor("ConvTranspose", { group: 3 })), "SHAPE", /divisible by group/, "ConvTranspose");
  });
});
