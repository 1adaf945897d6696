/**
 * Index-style data movement (GatherElements, GatherND, ScatterND, ScatterElements, DepthToSpace,
 * SpaceToDepth, Trilu), Range, OneHot and EyeLike against onnxruntime-node on seeded inputs, exact values, each
 * with a bad-input case beside it.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../compiler/errors.js";
import { type Tensor, tensorOf } from "../../compiler/ir/tensor.js";
import { type ModelSpec, type NodeSpec, buildModel, node } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { expectMatchesOrt, randomTensor, rng } from "./helpers.js";

const i64 = (values: number[], shape = [values.length]) => tensorOf("int64", shape, values);

function oneNode(opset: number, n: NodeSpec, inputs: Record<string, Tensor>, initializers: Record<string, Tensor> = {}): ModelSpec {
  return {
    opset,
    inputs: Object.entries(inputs).map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape] })),
    outputs: n.outputs.map((name) => ({ name })),
    initializers,
    nodes: [{ ...n, name: "n" }],
  };
}

function loadError(spec: ModelSpec): ZkcError {
  try {
    loadModelBytes(buildModel(spec), "bad.onnx");
  } catch (e) {
    if (e instanceof ZkcError) {
      expect(e.details.node).toBe("n");
      expect(e.details.op).toBe(spec.nodes[0]!.op);
      return e;
    }
    throw e;
  }
  throw new Error("expected a ZkcError");
}

/** Random int64 indices in [-dim, dim). */
function randomIndices(next: () => number, shape: number[], dim: number): Tensor {
  return randomTensor(next, "int64", shape, -dim, dim);
}

describe("GatherElements", () => {
  const r = rng(21);
  const x = randomTensor(r, "float32", [3, 4, 5]);
  it("along each axis, indices smaller than data, negative indices, runtime indices", async () => {
    for (const axis of [0, 1, -1]) {
      const dim = x.shape[(axis + 3) % 3]!;
      const idx = randomIndices(r, [2, 3, 4], dim);
      await expectMatchesOrt(oneNode(13, node("GatherElements", ["x", "i"], ["y"], { axis }), { x }, { i: idx }), { x });
      await expectMatchesOrt(oneNode(13, node("GatherElements", ["x", "i"], ["y"], { axis }), { x, i: idx }), { x, i: idx });
    }
  });
  it("rejects out-of-range indices and a rank mismatch", () => {
    expect(loadError(oneNode(13, node("GatherElements", ["x", "i"], ["y"]), { x }, { i: i64([3], [1, 1, 1]) })).code).toBe("INPUT");
    expect(loadError(oneNode(13, node("GatherElements", ["x", "i"], ["y"]), { x }, { i: i64([0], [1]) })).reason).toMatch(/rank of data/);
  });
});

describe("GatherND", () => {
  const r = rng(22);
  const x = randomTensor(r, "float32", [2, 3, 4]);
  it("k = 1, 2, 3 and batch_dims = 1", async () => {
    await expectMatchesOrt(oneNode(13, node("GatherND", ["x", "i"], ["y"]), { x }, { i: i64([1, 0, -1], [3, 1]) }), { x });
    await expectMatchesOrt(oneNode(13, node("GatherND", ["x", "i"], ["y"]), { x }, { i: i64([0, 2, 1, -1, 1, 0], [3, 2]) }), { x });
    await expectMatchesOrt(oneNode(13, node("GatherND", ["x", "i"], ["y"]), { x }, { i: i64([1, 2, 3, 0, 0, 0], [2, 3]) }), { x });
    await expectMatchesOrt(oneNode(13, node("GatherND", ["x", "i"], ["y"], { batch_dims: 1 }), { x }, { i: i64([2, 0, 1, 1], [2, 2, 1]) }), { x });
  });
  it("rejects an index tuple longer than the rank", () => {
    expect(loadError(oneNode(13, node("GatherND", ["x", "i"], ["y"]), { x }, { i: i64([0, 0, 0, 0], [1, 4]) })).reason).toMatch(/do not fit/);
  });
});

describe("ScatterND / ScatterElements", () => {
  const r = rng(23);
  const x = randomTensor(r, "float32", [4, 3]);
  it("ScatterND: rows and single elements, add/mul (16) and max/min (18) reductions", async () => {
    const rows = randomTensor(r, "float32", [2, 3]);
    await expectMatchesOrt(oneNode(13, node("ScatterND", ["x", "i", "u"], ["y"]), { x, u: rows }, { i: i64([3, 0], [2, 1]) }), { x, u: rows });
    const elems = randomTensor(r, "float32", [3]);
    await expectMatchesOrt(oneNode(13, node("ScatterND", ["x", "i", "u"], ["y"]), { x, u: elems }, { i: i64([0, 1, 2, 2, -1, 0], [3, 2]) }), { x, u: elems });
    const dup = randomTensor(r, "float32", [3, 3]);
    for (const [opset, reduction] of [[16, "add"], [16, "mul"], [18, "max"], [18, "min"]] as const) {
      await expectMatchesOrt(oneNode(opset, node("ScatterND", ["x", "i", "u"], ["y"], { reduction }), { x, u: dup }, { i: i64([1, 1, 2], [3, 1]) }), { x, u: dup });
    }
  });
  it("ScatterElements along both axes, with add reduction", async () => {
    const u = randomTensor(r, "float32", [2, 3]);
    for (const axis of [0, 1]) {
      const idx = axis === 0 ? i64([3, 0, -1, 1, 2, 0], [2, 3]) : i64([0, 2, 1, 1, 0, -1], [2, 3]);
      await expectMatchesOrt(oneNode(13, node("ScatterElements", ["x", "i", "u"], ["y"], { axis }), { x, u }, { i: idx }), { x, u });
    }
    await expectMatchesOrt(oneNode(16, node("ScatterElements", ["x", "i", "u"], ["y"], { reduction: "add" }), { x, u }, { i: i64([1, 1, 1, 1, 1, 1], [2, 3]) }), { x, u });
  });
  it("rejects updates of the wrong shape and a reduction the opset does not have", () => {
    const u = randomTensor(r, "float32", [2, 2]);
    expect(loadError(oneNode(13, node("ScatterND", ["x", "i", "u"], ["y"]), { x, u }, { i: i64([3, 0], [2, 1]) })).reason).toMatch(/updates do not match/);
    const u3 = randomTensor(r, "float32", [2, 3]);
    expect(loadError(oneNode(13, node("ScatterND", ["x", "i", "u"], ["y"], { reduction: "add" }), { x, u: u3 }, { i: i64([3, 0], [2, 1]) })).code).toBe("UNSUPPORTED_FEATURE");
  });
});

describe("DepthToSpace / SpaceToDepth / Trilu / Range", () => {
  const r = rng(24);
  it("DepthToSpace DCR and CRD, SpaceToDepth", async () => {
    const x = randomTensor(r, "float32", [2, 8, 2, 3]);
    for (const mode of ["DCR", "CRD"]) await expectMatchesOrt(oneNode(13, node("DepthToSpace", ["x"], ["y"], { blocksize: 2, mode }), { x }), { x });
    const s = randomTensor(r, "float32", [1, 3, 4, 6]);
    await expectMatchesOrt(oneNode(13, node("SpaceToDepth", ["x"], ["y"], { blocksize: 2 }), { x: s }), { x: s });
    expect(loadError(oneNode(13, node("DepthToSpace", ["x"], ["y"], { blocksize: 3 }), { x })).reason).toMatch(/multiple of blocksize/);
    expect(loadError(oneNode(13, node("SpaceToDepth", ["x"], ["y"], { blocksize: 4 }), { x: s })).reason).toMatch(/multiples of blocksize 4/);
  });
  it("Trilu upper and lower with k, batched", async () => {
    const x = randomTensor(r, "float32", [2, 4, 5]);
    for (const upper of [0, 1]) {
      for (const k of [-1, 0, 2]) await expectMatchesOrt(oneNode(14, node("Trilu", ["x", "k"], ["y"], { upper }), { x }, { k: i64([k], []) }), { x });
      await expectMatchesOrt(oneNode(14, node("Trilu", ["x"], ["y"], { upper }), { x }), { x });
    }
    expect(loadError(oneNode(14, node("Trilu", ["x"], ["y"]), { x: randomTensor(r, "float32", [3]) })).reason).toMatch(/rank >= 2/);
  });
  it("Range in int64, int32 and float32, negative delta, empty", async () => {
    const cases: [Tensor, Tensor, Tensor][] = [
      [i64([0], []), i64([10], []), i64([3], [])],
      [tensorOf("int32", [], [10]), tensorOf("int32", [], [-4]), tensorOf("int32", [], [-3])],
      [tensorOf("float32", [], [0.1]), tensorOf("float32", [], [2.3]), tensorOf("float32", [], [0.3])],
      [i64([5], []), i64([1], []), i64([1], [])],
    ];
    for (const [s, l, d] of cases) {
      await expectMatchesOrt({ opset: 13, inputs: [], outputs: [{ name: "y" }], initializers: { s, l, d }, nodes: [node("Range", ["s", "l", "d"], ["y"])] }, {});
    }
    const zero: ModelSpec = { opset: 13, inputs: [], outputs: [{ name: "y" }], initializers: { s: i64([0], []), l: i64([3], []), d: i64([0], []) }, nodes: [{ ...node("Range", ["s", "l", "d"], ["y"]), name: "n" }] };
    expect(loadError(zero).reason).toMatch(/delta is 0/);
  });
});

describe("OneHot / EyeLike", () => {
  const r = rng(25);
  it("OneHot along each axis, negative and out-of-range indices", async () => {
    const idx = i64([0, 3, -1, 7, -5, 2], [2, 3]);
    const values = tensorOf("float32", [2], [-1, 4]);
    for (const axis of [0, 1, -1]) {
      await expectMatchesOrt(oneNode(11, node("OneHot", ["i", "d", "v"], ["y"], { axis }), { i: idx }, { d: i64([5], []), v: values }), { i: idx });
    }
    expect(loadError(oneNode(11, node("OneHot", ["i", "d", "v"], ["y"]), { i: idx }, { d: i64([5], []), v: tensorOf("float32", [3], [0, 1, 2]) })).reason).toMatch(/\[off, on\]/);
  });
  it("EyeLike with k and a dtype, folded at load", async () => {
    const x = randomTensor(r, "float32", [3, 5]);
    for (const k of [-1, 0, 2]) await expectMatchesOrt(oneNode(13, node("EyeLike", ["x"], ["y"], { k, dtype: 7 }), { x }), { x });
    const g = loadModelBytes(buildModel(oneNode(13, node("EyeLike", ["x"], ["y"]), { x })), "eye.onnx");
    expect(g.nodes).toHaveLength(0);
    expect(loadError(oneNode(13, node("EyeLike", ["x"], ["y"]), { x: randomTensor(r, "float32", [3]) })).reason).toMatch(/2-D/);
  });
});
