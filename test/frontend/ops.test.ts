/**
 * Shape and data-movement ops against onnxruntime-node (graph optimisations off) on seeded random
 * inputs: dtype, shape and every value must agree exactly (these ops only move or convert values).
 * Each op also has a bad-shape case that must fail with a ZkcError naming the node and op.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../compiler/errors.js";
import { type Tensor, tensorOf } from "../../compiler/ir/tensor.js";
import { type ModelSpec, type NodeSpec, attr, buildModel, node } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { expectMatchesOrt, randomTensor, rng } from "./helpers.js";

const i64 = (values: number[], shape = [values.length]) => tensorOf("int64", shape, values);
const INT64_MAX = 2 ** 63; // how 9223372036854775807 looks as a float64; the encoder clamps it back

/** One-node model: input x (and optionally more runtime inputs), constant args as initializers. */
function oneNode(opset: number, n: NodeSpec, inputs: Record<string, Tensor>, initializers: Record<string, Tensor> = {}): ModelSpec {
  return {
    opset,
    inputs: Object.entries(inputs).map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape] })),
    outputs: n.outputs.filter((o) => o !== "").map((name) => ({ name })),
    initializers,
    nodes: [n],
  };
}

/** Expects loading to fail with a ZkcError of `code` that names node "n" and the op. */
function expectLoadError(spec: ModelSpec, code: string, reason: RegExp): ZkcError {
  const bytes = buildModel(spec);
  let err: unknown;
  try {
    loadModelBytes(bytes, "bad.onnx");
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ZkcError);
  const z = err as ZkcError;
  expect(z.code).toBe(code);
  expect(z.reason).toMatch(reason);
  expect(z.details.file).toBe("bad.onnx");
  expect(z.details.node).toBe("n");
  expect(z.details.op).toBe(spec.nodes[0]!.op);
  return z;
}

const named = (n: NodeSpec): NodeSpec => ({ ...n, name: "n" });

describe("Reshape", () => {
  const r = rng(1);
  const x = randomTensor(r, "float32", [2, 3, 4]);
  it("opset 5 and 14: 0 copies a dim, -1 infers one", async () => {
    for (const opset of [5, 13, 14]) {
      const got = await expectMatchesOrt(oneNode(opset, node("Reshape", ["x", "s"], ["y"]), { x }, { s: i64([0, -1, 2]) }), { x });
      expect(got.y!.shape).toEqual([2, 6, 2]);
    }
  });
  it("opset 14 allowzero keeps a literal 0", async () => {
    const empty = randomTensor(r, "float32", [0, 3]);
    const got = await expectMatchesOrt(oneNode(14, node("Reshape", ["x", "s"], ["y"], { allowzero: 1 }), { x: empty }, { s: i64([3, 0]) }), { x: empty });
    expect(got.y!.shape).toEqual([3, 0]);
  });
  it("opset 1 reads the shape attribute", () => {
    const g = loadModelBytes(buildModel(oneNode(1, node("Reshape", ["x"], ["y"], { shape: [4, -1] }), { x })), "r1.onnx");
    expect(g.outputs[0]!.shape).toEqual([4, 6]);
  });
  it("rejects a wrong element count, two -1s, and 0 with -1 under allowzero", () => {
    expectLoadError(oneNode(14, named(node("Reshape", ["x", "s"], ["y"])), { x }, { s: i64([5, 5]) }), "SHAPE", /cannot reshape \[2, 3, 4\]/);
    expectLoadError(oneNode(14, named(node("Reshape", ["x", "s"], ["y"])), { x }, { s: i64([-1, -1]) }), "SHAPE", /more than one -1/);
    expectLoadError(oneNode(14, named(node("Reshape", ["x", "s"], ["y"], { allowzero: 1 })), { x }, { s: i64([0, -1]) }), "SHAPE", /both 0 and -1/);
  });
  it("needs the target shape at compile time", () => {
    const spec: ModelSpec = { opset: 14, inputs: [{ name: "x", shape: [2, 3, 4] }, { name: "s", dtype: "int64", shape: [2] }], outputs: [{ name: "y" }], nodes: [named(node("Reshape", ["x", "s"], ["y"]))] };
    const z = expectLoadError(spec, "UNSUPPORTED_FEATURE", /must be known at compile time/);
    expect(z.details.hint).toMatch(/static shapes/);
  });
});

describe("Flatten", () => {
  const x = randomTensor(rng(2), "float32", [2, 3, 4, 5]);
  it("axis 0, 2, default and negative", async () => {
    for (const axis of [0, 2, -1, undefined]) {
      await expectMatchesOrt(oneNode(13, node("Flatten", ["x"], ["y"], axis === undefined ? {} : { axis }), { x }), { x });
    }
  });
  it("rejects an axis beyond the rank", () => {
    expectLoadError(oneNode(13, named(node("Flatten", ["x"], ["y"], { axis: 5 })), { x }), "SHAPE", /axis 5 is out of range/);
  });
});

describe("Transpose", () => {
  const x = randomTensor(rng(3), "float32", [2, 3, 4]);
  it("every permutation of rank 3 and the default reversal", async () => {
    for (const perm of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0], undefined]) {
      await expectMatchesOrt(oneNode(13, node("Transpose", ["x"], ["y"], perm ? { perm } : {}), { x }), { x });
    }
  });
  it("int64 data", async () => {
    const xi = randomTensor(rng(4), "int64", [3, 5], -1000, 1000);
    await expectMatchesOrt(oneNode(13, node("Transpose", ["x"], ["y"]), { x: xi }), { x: xi });
  });
  it("rejects a perm that is not a permutation", () => {
    expectLoadError(oneNode(13, named(node("Transpose", ["x"], ["y"], { perm: [0, 0, 1] })), { x }), "SHAPE", /not a permutation/);
  });
});

describe("Squeeze / Unsqueeze", () => {
  const x = randomTensor(rng(5), "float32", [1, 3, 1, 4]);
  it("Squeeze: attribute axes (opset 11), input axes (13), all size-1 axes", async () => {
    await expectMatchesOrt(oneNode(11, node("Squeeze", ["x"], ["y"], { axes: [0, -2] }), { x }), { x });
    await expectMatchesOrt(oneNode(13, node("Squeeze", ["x", "a"], ["y"]), { x }, { a: i64([2]) }), { x });
    const got = await expectMatchesOrt(oneNode(13, node("Squeeze", ["x"], ["y"]), { x }), { x });
    expect(got.y!.shape).toEqual([3, 4]);
  });
  it("Unsqueeze: attribute axes (opset 11), input axes (13), unsorted and negative", async () => {
    await expectMatchesOrt(oneNode(11, node("Unsqueeze", ["x"], ["y"], { axes: [0, 5] }), { x }), { x });
    const got = await expectMatchesOrt(oneNode(13, node("Unsqueeze", ["x", "a"], ["y"]), { x }, { a: i64([-1, 1]) }), { x });
    expect(got.y!.shape).toEqual([1, 1, 3, 1, 4, 1]);
  });
  it("rejects squeezing a dim that is not 1 and duplicate unsqueeze axes", () => {
    expectLoadError(oneNode(13, named(node("Squeeze", ["x", "a"], ["y"])), { x }, { a: i64([1]) }), "SHAPE", /cannot squeeze axis 1 of size 3/);
    expectLoadError(oneNode(13, named(node("Unsqueeze", ["x", "a"], ["y"])), { x }, { a: i64([1, 1]) }), "SHAPE", /duplicate/);
  });
});

describe("Concat", () => {
  const r = rng(6);
  const a = randomTensor(r, "float32", [2, 3, 4]);
  const b = randomTensor(r, "float32", [2, 1, 4]);
  const c = randomTensor(r, "float32", [2, 5, 4]);
  it("three inputs along a middle axis, negative axis", async () => {
    await expectMatchesOrt(oneNode(13, node("Concat", ["a", "b", "c"], ["y"], { axis: 1 }), { a, b, c }), { a, b, c });
    await expectMatchesOrt(oneNode(13, node("Concat", ["a", "a"], ["y"], { axis: -1 }), { a }), { a });
  });
  it("rejects inputs that differ outside the axis", () => {
    const z = expectLoadError(oneNode(13, named(node("Concat", ["a", "b"], ["y"], { axis: 2 })), { a, b }), "SHAPE", /input 1 does not match input 0 outside axis 2/);
    expect(z.details.expected).toBe("[2, 3, *]");
    expect(z.details.got).toBe("[2, 1, 4]");
  });
});

describe("Split", () => {
  const x = randomTensor(rng(7), "float32", [5, 6]);
  const outs = (k: number) => Array.from({ length: k }, (_, i) => `y${i}`);
  it("split attribute (opset 11), split input (13), equal parts", async () => {
    await expectMatchesOrt(oneNode(11, node("Split", ["x"], outs(3), { axis: 1, split: [1, 2, 3] }), { x }), { x });
    await expectMatchesOrt(oneNode(13, node("Split", ["x", "s"], outs(2)), { x }, { s: i64([4, 1]) }), { x });
    await expectMatchesOrt(oneNode(13, node("Split", ["x"], outs(3), { axis: -1 }), { x }), { x });
  });
  it("num_outputs (opset 18) with a smaller last part", async () => {
    const got = await expectMatchesOrt(oneNode(18, node("Split", ["x"], outs(3), { axis: 0, num_outputs: 3 }), { x }), { x });
    expect([got.y0!.shape, got.y1!.shape, got.y2!.shape]).toEqual([[2, 6], [2, 6], [1, 6]]);
  });
  it("rejects sizes that do not add up and an uneven equal split", () => {
    expectLoadError(oneNode(13, named(node("Split", ["x", "s"], outs(2))), { x }, { s: i64([2, 2]) }), "SHAPE", /do not add up/);
    expectLoadError(oneNode(13, named(node("Split", ["x"], outs(2))), { x }), "SHAPE", /does not split evenly/);
  });
});

describe("Slice", () => {
  const x = randomTensor(rng(8), "float32", [5, 6, 7]);
  const cases: { name: string; starts: number[]; ends: number[]; axes?: number[]; steps?: number[] }[] = [
    { name: "basic", starts: [1, 0], ends: [4, 3], axes: [0, 2] },
    { name: "negative indices", starts: [-4], ends: [-1], axes: [1] },
    { name: "negative steps", starts: [-1, 5], ends: [-6, 0], axes: [0, 2], steps: [-1, -2] },
    { name: "INT64_MAX end and clamping", starts: [2, -100], ends: [INT64_MAX, 100], axes: [1, 2] },
    { name: "INT64_MIN end with negative step", starts: [INT64_MAX], ends: [-INT64_MAX], axes: [0], steps: [-2] },
    { name: "default axes", starts: [0, 1, 2], ends: [5, 6, 7] },
    { name: "empty result", starts: [3], ends: [1], axes: [0] },
    { name: "negative axes, step 3", starts: [0], ends: [7], axes: [-1], steps: [3] },
    { name: "negative step, start and end far below 0 (start clamps to 0)", starts: [-100], ends: [-100], axes: [0], steps: [-1] },
    { name: "negative step from beyond the end", starts: [100], ends: [-100], axes: [1], steps: [-1] },
  ];
  for (const c of cases) {
    it(`opset 13: ${c.name}`, async () => {
      const init: Record<string, Tensor> = { st: i64(c.starts), en: i64(c.ends) };
      const ins = ["x", "st", "en"];
      if (c.axes || c.steps) {
        init.ax = i64(c.axes ?? c.starts.map((_, i) => i));
        ins.push("ax");
      }
      if (c.steps) {
        init.sp = i64(c.steps);
        ins.push("sp");
      }
      await expectMatchesOrt(oneNode(13, node("Slice", ins, ["y"]), { x }, init), { x });
    });
  }
  it("opset 1 attributes", async () => {
    await expectMatchesOrt(oneNode(9, node("Slice", ["x"], ["y"], { starts: [1, -3], ends: [3, 100], axes: [0, 2] }), { x }), { x });
  });
  it("rejects step 0 and mismatched lengths", () => {
    expectLoadError(oneNode(13, named(node("Slice", ["x", "st", "en", "ax", "sp"], ["y"])), { x }, { st: i64([0]), en: i64([2]), ax: i64([0]), sp: i64([0]) }), "SHAPE", /step for axis 0 is 0/);
    expectLoadError(oneNode(13, named(node("Slice", ["x", "st", "en"], ["y"])), { x }, { st: i64([0, 0]), en: i64([2]) }), "SHAPE", /same length/);
  });
});

describe("Gather", () => {
  const r = rng(9);
  const x = randomTensor(r, "float32", [4, 5, 3]);
  it("matrix of indices with negatives along axis 1, int32 and int64", async () => {
    const idx = i64([0, -1, 3, -5], [2, 2]);
    await expectMatchesOrt(oneNode(13, node("Gather", ["x", "i"], ["y"], { axis: 1 }), { x }, { i: idx }), { x });
    const idx32 = tensorOf("int32", [3], [2, 0, -1]);
    await expectMatchesOrt(oneNode(13, node("Gather", ["x", "i"], ["y"], { axis: -1 }), { x }, { i: idx32 }), { x });
  });
  it("scalar index drops the axis; runtime indices", async () => {
    const got = await expectMatchesOrt(oneNode(13, node("Gather", ["x", "i"], ["y"]), { x }, { i: i64([2], []) }), { x });
    expect(got.y!.shape).toEqual([5, 3]);
    const i = i64([3, 0, 0, 1, -2], [5]);
    await expectMatchesOrt(oneNode(13, node("Gather", ["x", "i"], ["y"]), { x, i }), { x, i });
  });
  it("rejects an out-of-range constant index and a float index", () => {
    const z = expectLoadError(oneNode(13, named(node("Gather", ["x", "i"], ["y"], { axis: 1 })), { x }, { i: i64([5]) }), "INPUT", /index 5 is out of range for an axis of size 5/);
    expect(z.details.expected).toBe("-5 <= index < 5");
    expectLoadError(oneNode(13, named(node("Gather", ["x", "i"], ["y"])), { x }, { i: tensorOf("float32", [1], [1]) }), "SHAPE", /indices must be integers/);
  });
});

describe("Pad", () => {
  const r = rng(10);
  const x = randomTensor(r, "float32", [3, 4, 5]);
  it("constant with a value, reflect, edge (opset 11 and 13)", async () => {
    const pads = i64([1, 0, 2, 0, 3, 1]);
    await expectMatchesOrt(oneNode(11, node("Pad", ["x", "p", "v"], ["y"]), { x }, { p: pads, v: tensorOf("float32", [], [2.5]) }), { x });
    for (const mode of ["reflect", "edge", "constant"]) {
      await expectMatchesOrt(oneNode(13, node("Pad", ["x", "p"], ["y"], { mode }), { x }, { p: pads }), { x });
    }
  });
  it("negative pads crop", async () => {
    await expectMatchesOrt(oneNode(13, node("Pad", ["x", "p"], ["y"]), { x }, { p: i64([-1, 1, 0, 0, -2, 2]) }), { x });
  });
  it("opset 18 axes input and opset 19 wrap mode", async () => {
    await expectMatchesOrt(oneNode(18, node("Pad", ["x", "p", "", "a"], ["y"], { mode: "reflect" }), { x }, { p: i64([2, 1, 3, 0]), a: i64([-1, 1]) }), { x });
    await expectMatchesOrt(oneNode(19, node("Pad", ["x", "p"], ["y"], { mode: "wrap" }), { x }, { p: i64([1, 2, 3, 2, 1, 4]) }), { x });
  });
  it("opset 2 attributes", async () => {
    await expectMatchesOrt(oneNode(2, node("Pad", ["x"], ["y"], { pads: [0, 1, 1, 1, 0, 2], value: attr.float(-1) }), { x }), { x });
  });
  it("int32 data with a constant value", async () => {
    const xi = randomTensor(r, "int32", [2, 3], -50, 50);
    await expectMatchesOrt(oneNode(13, node("Pad", ["x", "p", "v"], ["y"]), { x: xi }, { p: i64([1, 1, 0, 2]), v: tensorOf("int32", [], [7]) }), { x: xi });
  });
  it("rejects pads of the wrong length, an unknown mode, and wrap before opset 19", () => {
    expectLoadError(oneNode(13, named(node("Pad", ["x", "p"], ["y"])), { x }, { p: i64([1, 1]) }), "SHAPE", /2 entries per padded axis/);
    expectLoadError(oneNode(13, named(node("Pad", ["x", "p"], ["y"], { mode: "mirror" })), { x }, { p: i64([0, 0, 0, 0, 0, 0]) }), "UNSUPPORTED_FEATURE", /"mirror"/);
    expectLoadError(oneNode(18, named(node("Pad", ["x", "p"], ["y"], { mode: "wrap" })), { x }, { p: i64([0, 0, 0, 0, 0, 0]) }), "UNSUPPORTED_FEATURE", /"wrap"/);
  });
});

describe("Expand / Tile / Where", () => {
  const r = rng(11);
  const x = randomTensor(r, "float32", [3, 1]);
  it("Expand broadcasts both ways", async () => {
    const got = await expectMatchesOrt(oneNode(13, node("Expand", ["x", "s"], ["y"]), { x }, { s: i64([2, 1, 4]) }), { x });
    expect(got.y!.shape).toEqual([2, 3, 4]);
    await expectMatchesOrt(oneNode(13, node("Expand", ["x", "s"], ["y"]), { x }, { s: i64([1]) }), { x });
  });
  it("Expand rejects incompatible shapes", () => {
    expectLoadError(oneNode(13, named(node("Expand", ["x", "s"], ["y"])), { x }, { s: i64([2, 4]) }), "SHAPE", /cannot broadcast \[3, 1\] to \[2, 4\]/);
  });
  it("Tile", async () => {
    const t = randomTensor(r, "float32", [2, 3, 2]);
    await expectMatchesOrt(oneNode(13, node("Tile", ["x", "k"], ["y"]), { x: t }, { k: i64([2, 1, 3]) }), { x: t });
    expectLoadError(oneNode(13, named(node("Tile", ["x", "k"], ["y"])), { x: t }, { k: i64([2, 1]) }), "SHAPE", /one entry per input axis/);
  });
  it("Where with three-way broadcasting", async () => {
    const cond = tensorOf("bool", [3, 1], [1, 0, 1]);
    const a = randomTensor(r, "float32", [1, 4]);
    const b = randomTensor(r, "float32", []);
    await expectMatchesOrt(oneNode(16, node("Where", ["c", "a", "b"], ["y"]), { c: cond, a, b }), { c: cond, a, b });
    expectLoadError(oneNode(16, named(node("Where", ["c", "a", "b"], ["y"])), { c: tensorOf("bool", [3], [1, 0, 1]), a, b }), "SHAPE", /do not broadcast together/);
  });
});

describe("Cast / CastLike", () => {
  const r = rng(12);
  const x = randomTensor(r, "float32", [4, 6], -300, 300);
  // 0.5-steps and exact ties exercise truncation and rounding
  const ties = tensorOf("float32", [8], [-2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.5, 1e-8]);
  it("float to int8/int16/int32/int64/bool/double/float16 and back", async () => {
    for (const to of [3, 5, 6, 7, 9, 11, 10]) {
      for (const input of [x, ties]) await expectMatchesOrt(oneNode(13, node("Cast", ["x"], ["y"], { to }), { x: input }), { x: input });
    }
    const xi = randomTensor(r, "int32", [5], -1000, 1000);
    for (const to of [1, 7, 9, 11]) await expectMatchesOrt(oneNode(13, node("Cast", ["x"], ["y"], { to }), { x: xi }), { x: xi });
    const xb = tensorOf("bool", [4], [1, 0, 0, 1]);
    for (const to of [1, 6, 7]) await expectMatchesOrt(oneNode(13, node("Cast", ["x"], ["y"], { to }), { x: xb }), { x: xb });
  });
  it("CastLike takes the second input's dtype", async () => {
    const like = tensorOf("int64", [1], [0]);
    const got = await expectMatchesOrt(oneNode(15, node("CastLike", ["x", "l"], ["y"]), { x: ties }, { l: like }), { x: ties });
    expect(got.y!.dtype).toBe("int64");
  });
  it("rejects a cast to string", () => {
    expectLoadError(oneNode(13, named(node("Cast", ["x"], ["y"], { to: 8 })), { x }), "UNSUPPORTED_DTYPE", /STRING/);
  });
});

describe("Shape / Size / Constant / ConstantOfShape / Identity / Dropout", () => {
  const r = rng(13);
  const x = randomTensor(r, "float32", [2, 3, 4, 5]);
  it("Shape with start/end (opset 15) and Size fold to constants", async () => {
    const variants: Record<string, number>[] = [{}, { start: 1 }, { end: -1 }, { start: -3, end: 3 }, { start: 3, end: 1 }, { start: -10, end: 10 }];
    for (const attrs of variants) {
      await expectMatchesOrt(oneNode(15, node("Shape", ["x"], ["y"], attrs), { x }), { x });
    }
    await expectMatchesOrt(oneNode(13, node("Size", ["x"], ["y"]), { x }), { x });
    const g = loadModelBytes(buildModel(oneNode(15, node("Shape", ["x"], ["y"], { start: 1 }), { x })), "s.onnx");
    expect(g.nodes).toHaveLength(0);
    expect(Array.from(g.constants.get("y")!.data)).toEqual([3, 4, 5]);
  });
  it("Constant in every value form", async () => {
    const forms: Record<string, Parameters<typeof node>[3]> = {
      value: { value: randomTensor(r, "float32", [2, 2]) },
      value_float: { value_float: attr.float(1.25) },
      value_floats: { value_floats: attr.floats([1, 2.5, -3]) },
      value_int: { value_int: 7 },
      value_ints: { value_ints: [1, -2, 3] },
    };
    for (const attrs of Object.values(forms)) {
      await expectMatchesOrt({ opset: 13, inputs: [], outputs: [{ name: "y" }], nodes: [node("Constant", [], ["y"], attrs)] }, {});
    }
  });
  it("Constant rejects zero or two value attributes", () => {
    const spec = (attrs: Parameters<typeof node>[3]): ModelSpec => ({ opset: 13, inputs: [], outputs: [{ name: "y" }], nodes: [named(node("Constant", [], ["y"], attrs))] });
    expectLoadError(spec({}), "ATTRIBUTE", /exactly one value attribute/);
    expectLoadError(spec({ value_int: 1, value_ints: [1] }), "ATTRIBUTE", /exactly one value attribute/);
  });
  it("ConstantOfShape with the default and an int64 value", async () => {
    await expectMatchesOrt(oneNode(13, node("ConstantOfShape", ["s"], ["y"]), {}, { s: i64([2, 3]) }), {});
    await expectMatchesOrt(oneNode(13, node("ConstantOfShape", ["s"], ["y"], { value: i64([-4], [1]) }), {}, { s: i64([3]) }), {});
  });
  it("Identity and Dropout (opset 7 mask of T, opset 13 bool mask, training_mode false)", async () => {
    await expectMatchesOrt(oneNode(13, node("Identity", ["x"], ["y"]), { x }), { x });
    // Dropout-7's mask is unspecified at inference (onnxruntime writes zeros); zkc writes the
    // all-kept mask, so only Y is compared with onnxruntime here
    await expectMatchesOrt({ ...oneNode(7, node("Dropout", ["x"], ["y", "m"], { ratio: attr.float(0.3) }), { x }), outputs: [{ name: "y" }] }, { x });
    const g = loadModelBytes(buildModel(oneNode(7, node("Dropout", ["x"], ["y", "m"]), { x })), "d7.onnx");
    expect(g.values.get("m")).toEqual({ name: "m", dtype: "float32", shape: [2, 3, 4, 5] });
    await expectMatchesOrt(oneNode(13, node("Dropout", ["x", "r", "t"], ["y", "m"]), { x }, { r: tensorOf("float32", [], [0.5]), t: tensorOf("bool", [], [0]) }), { x });
  });
  it("Dropout rejects training mode", () => {
    expectLoadError(oneNode(13, named(node("Dropout", ["x", "r", "t"], ["y"])), { x }, { r: tensorOf("float32", [], [0.5]), t: tensorOf("bool", [], [1]) }), "UNSUPPORTED_FEATURE", /training_mode/);
  });
});
