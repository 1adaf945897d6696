/**
 * The ONNX frontend: tensor decoding (raw and typed fields, every dtype, float16/bfloat16 bit
 * patterns, unaligned raw_data views), attributes of every kind, initializers, inputs, opsets,
 * node order and names, symbolic dims. Values are checked against onnxruntime where it can read
 * the same model, and against hand-written bit patterns where it cannot.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../compiler/errors.js";
import { type DType, type Tensor, tensorOf } from "../../compiler/ir/tensor.js";
import { type ModelSpec, attr, buildModel, buildModelProto, encodeModel, node } from "../../compiler/onnx/build.js";
import { decodeModel, loadModelBytes, loadModelFile } from "../../compiler/onnx/load.js";
import { onnx } from "../../compiler/onnx/proto.js";
import { decodeTensorProto, tensorProtoBytes } from "../../compiler/onnx/tensor-proto.js";
import { CONFORMANCE_NODE_DIR, HAVE_CONFORMANCE } from "./conformance-dir.js";
import { randomTensor, rng, runOrt } from "./helpers.js";

function catchZkc(f: () => unknown): ZkcError {
  try {
    f();
  } catch (e) {
    if (e instanceof ZkcError) return e;
    throw e;
  }
  throw new Error("expected a ZkcError, nothing was thrown");
}

const DTYPES: [DType, number, number][] = [
  ["float32", -100, 100],
  ["float64", -100, 100],
  ["float16", -100, 100],
  ["int8", -128, 128],
  ["uint8", 0, 256],
  ["int16", -32768, 32768],
  ["uint16", 0, 65536],
  ["int32", -(2 ** 31), 2 ** 31],
  ["uint32", 0, 2 ** 32],
  ["int64", -(2 ** 40), 2 ** 40],
  ["uint64", 0, 2 ** 40],
  ["bool", 0, 2],
];

describe("initializers", () => {
  for (const encoding of ["raw", "typed"] as const) {
    it(`every dtype from ${encoding === "raw" ? "raw_data" : "the typed fields"} matches onnxruntime`, async () => {
      const r = rng(encoding === "raw" ? 1 : 2);
      const initializers: Record<string, Tensor> = {};
      for (const [dtype, lo, hi] of DTYPES) initializers[`w_${dtype}`] = randomTensor(r, dtype, [2, 3], lo, hi);
      const spec: ModelSpec = {
        opset: 17,
        inputs: [],
        outputs: DTYPES.map(([d]) => ({ name: `y_${d}` })),
        initializers,
        initializerEncoding: encoding,
        nodes: DTYPES.map(([d]) => node("Identity", [`w_${d}`], [`y_${d}`])),
      };
      const bytes = buildModel(spec);
      const g = loadModelBytes(bytes, "init.onnx");
      const want = await runOrt(bytes, {});
      for (const [d] of DTYPES) {
        const got = g.constants.get(`y_${d}`)!;
        expect(got.dtype, d).toBe(d);
        expect(Array.from(got.data), d).toEqual(Array.from(want[`y_${d}`]!.data));
      }
    });
  }

  it("float16 and bfloat16 bit patterns decode exactly (raw and int32_data)", () => {
    const halfBits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000, 0x3555];
    const halfWant = [1, -2, 65504, 2 ** -24, Infinity, -0, 0.333251953125];
    const bfBits = [0x3f80, 0xbfc0, 0x4049, 0x0000];
    const bfWant = [1, -1.5, 3.140625, 0];
    const raw = (bits: number[]) => {
      const b = new Uint8Array(bits.length * 2);
      bits.forEach((x, i) => {
        b[2 * i] = x & 0xff;
        b[2 * i + 1] = x >> 8;
      });
      return b;
    };
    for (const [dataType, bits, want] of [[10, halfBits, halfWant], [16, bfBits, bfWant]] as const) {
      const fromRaw = decodeTensorProto({ dataType, dims: [bits.length], rawData: raw([...bits]) });
      const fromTyped = decodeTensorProto({ dataType, dims: [bits.length], int32Data: [...bits] });
      expect(Array.from(fromRaw.data)).toEqual(want);
      expect(Array.from(fromTyped.data)).toEqual(want);
    }
  });

  it("raw_data at an odd offset inside a larger buffer is copied, not aliased", () => {
    const t = randomTensor(rng(3), "float64", [5]);
    const proto = tensorProtoBytes(t, "t");
    const shifted = new Uint8Array(proto.length + 3);
    shifted.set(proto, 3);
    const got = decodeTensorProto(shifted.subarray(3));
    expect(Array.from(got.data)).toEqual(Array.from(t.data));
    shifted.fill(0); // the decoded tensor must not see later changes to the file buffer
    expect(Array.from(got.data)).toEqual(Array.from(t.data));
  });

  it("raw_data of the wrong length is a MODEL_FORMAT error naming the initializer", () => {
    const proto = buildModelProto({ opset: 17, inputs: [], outputs: [{ name: "w" }], initializers: { w: tensorOf("float32", [4], [1, 2, 3, 4]) }, nodes: [] });
    proto.graph!.initializer![0]!.rawData = new Uint8Array(12);
    const e = catchZkc(() => loadModelBytes(encodeModel(proto), "short.onnx"));
    expect(e.code).toBe("MODEL_FORMAT");
    expect(e.reason).toMatch(/initializer "w": raw_data/);
    expect(e.details.expected).toBe("4 elements");
    expect(e.details.got).toBe("3");
  });

  it("graph inputs that are also initializers are constants, not inputs", () => {
    const w = randomTensor(rng(4), "float32", [3]);
    const spec: ModelSpec = {
      opset: 17,
      inputs: [{ name: "x", shape: [3] }, { name: "w", shape: [3] }],
      outputs: [{ name: "y" }],
      initializers: { w },
      nodes: [node("Concat", ["x", "w"], ["y"], { axis: 0 })],
    };
    const g = loadModelBytes(buildModel(spec), "w.onnx");
    expect(g.inputs.map((i) => i.name)).toEqual(["x"]);
    expect(g.constants.has("w")).toBe(true);
  });

  it("sparse initializers become dense tensors (linear and coordinate indices)", () => {
    const proto = buildModelProto({ opset: 17, inputs: [], outputs: [{ name: "a" }, { name: "b" }], nodes: [] });
    proto.graph!.sparseInitializer = [
      { values: { name: "a", dataType: 1, dims: [2], floatData: [5, -1] }, indices: { dataType: 7, dims: [2], int64Data: [1, 5] }, dims: [2, 3] },
      { values: { name: "b", dataType: 1, dims: [2], floatData: [7, 8] }, indices: { dataType: 7, dims: [2, 2], int64Data: [0, 2, 1, 0] }, dims: [2, 3] },
    ];
    const g = loadModelBytes(encodeModel(proto), "sparse.onnx");
    expect(Array.from(g.constants.get("a")!.data)).toEqual([0, 5, 0, 0, 0, -1]);
    expect(Array.from(g.constants.get("b")!.data)).toEqual([0, 0, 7, 8, 0, 0]);
  });
});

describe("attributes", () => {
  it("every AttributeProto kind decodes to a typed AttrValue", () => {
    const t = tensorOf("int32", [2], [3, -4]);
    const spec: ModelSpec = {
      opset: 17,
      inputs: [{ name: "x", shape: [1] }],
      outputs: [{ name: "y" }],
      nodes: [
        node("Identity", ["x"], ["y"], {
          i: 7,
          big: 2 ** 40,
          f: 0.5,
          f_int: attr.float(2),
          s: "héllo",
          is: [1, -2, 3],
          fs: [0.25, 1.5],
          ss: ["a", "b"],
          t,
          ts: { type: "tensors", value: [t, t] },
          g: { type: "graph", value: { name: "sub", node: [] } },
        }),
      ],
    };
    const d = decodeModel(buildModel(spec), "attrs.onnx");
    const a = d.nodes[0]!.attrs;
    expect(a.i).toEqual({ type: "int", value: 7 });
    expect(a.big).toEqual({ type: "int", value: 2 ** 40 });
    expect(a.f).toEqual({ type: "float", value: 0.5 });
    expect(a.f_int).toEqual({ type: "float", value: 2 });
    expect(a.s).toEqual({ type: "string", value: "héllo" });
    expect(a.is).toEqual({ type: "ints", value: [1, -2, 3] });
    expect(a.fs).toEqual({ type: "floats", value: [0.25, 1.5] });
    expect(a.ss).toEqual({ type: "strings", value: ["a", "b"] });
    expect(a.t).toEqual({ type: "tensor", value: { dtype: "int32", shape: [2], data: Float64Array.from([3, -4]) } });
    expect(a.ts!.type).toBe("tensors");
    expect(a.g!.type).toBe("graph");
    expect((a.g!.value as { name: string }).name).toBe("sub");
  });

  // onnxruntime-node cannot return the sparse tensor this Constant makes, so the expectation is the
  // spec's: linear indices 0 and 3 of a 2x2 tensor
  it("Constant with sparse_value is densified", () => {
    const proto = buildModelProto({ opset: 17, inputs: [], outputs: [{ name: "y" }], nodes: [node("Constant", [], ["y"], { value_int: 0 })] });
    proto.graph!.node![0]!.attribute = [
      {
        name: "sparse_value",
        type: onnx.AttributeProto.AttributeType.SPARSE_TENSOR,
        sparseTensor: { values: { dataType: 1, dims: [2], floatData: [1.5, -2] }, indices: { dataType: 7, dims: [2], int64Data: [0, 3] }, dims: [2, 2] },
      },
    ];
    const g = loadModelBytes(encodeModel(proto), "sparse-const.onnx");
    expect(g.constants.get("y")).toEqual({ dtype: "float32", shape: [2, 2], data: Float64Array.from([1.5, 0, 0, -2]) });
  });
});

describe("graph structure", () => {
  const x = randomTensor(rng(7), "float32", [2, 3]);
  const chain = [
    node("Transpose", ["x"], ["a"]),
    node("Flatten", ["a"], ["b"], { axis: 0 }),
    node("Concat", ["b", "b"], ["c"], { axis: 1 }),
    node("Identity", ["c"], ["y"], undefined, "last"),
  ];
  const spec = (nodes: typeof chain): ModelSpec => ({ opset: 17, inputs: [{ name: "x", shape: [2, 3] }], outputs: [{ name: "y" }], nodes });

  it("unsorted nodes are sorted topologically; unnamed nodes get <OpType>_<index>", async () => {
    const shuffled = [chain[3]!, chain[1]!, chain[0]!, chain[2]!];
    const g = loadModelBytes(buildModel(spec(shuffled)), "shuffled.onnx");
    expect(g.nodes.map((n) => n.name)).toEqual(["Transpose_2", "Flatten_1", "Concat_3", "last"]);
    const want = await runOrt(buildModel(spec(chain)), { x });
    const { runFloat } = await import("../../compiler/float/interpret.js");
    expect(Array.from(runFloat(g, { x }).get("y")!.data)).toEqual(Array.from(want.y!.data));
  });

  it("a cycle is a MODEL_FORMAT error naming the nodes", () => {
    const cyclic = [node("Identity", ["x", "c"], ["a"], undefined, "n1"), node("Identity", ["a"], ["c"], undefined, "n2"), node("Identity", ["c"], ["y"], undefined, "n3")];
    const e = catchZkc(() => decodeModel(buildModel(spec(cyclic)), "cycle.onnx"));
    expect(e.code).toBe("MODEL_FORMAT");
    expect(e.reason).toMatch(/cycle through 3 nodes: "n1", "n2", "n3"/);
  });

  it("a tensor produced twice is rejected", () => {
    const twice = [node("Identity", ["x"], ["y"], undefined, "p1"), node("Identity", ["x"], ["y"], undefined, "p2")];
    const e = catchZkc(() => decodeModel(buildModel(spec(twice)), "twice.onnx"));
    expect(e.code).toBe("MODEL_FORMAT");
    expect(e.reason).toMatch(/produced by two nodes \("p1" and "p2"\)/);
  });

  it("a node reading a tensor nobody produces is rejected", () => {
    const e = catchZkc(() => loadModelBytes(buildModel(spec([node("Identity", ["ghost"], ["y"], undefined, "n")])), "ghost.onnx"));
    expect(e.code).toBe("MODEL_FORMAT");
    expect(e.details.node).toBe("n");
    expect(e.reason).toMatch(/"ghost"/);
  });
});

describe("opsets", () => {
  const reshapeAttr = (opset: number): ModelSpec => ({
    opset,
    inputs: [{ name: "x", shape: [2, 6] }],
    outputs: [{ name: "y" }],
    nodes: [node("Reshape", ["x"], ["y"], { shape: [3, 4] }, "n")],
  });
  it("the default-domain opset picks the op version", () => {
    expect(loadModelBytes(buildModel(reshapeAttr(4)), "r4.onnx").outputs[0]!.shape).toEqual([3, 4]);
    const e = catchZkc(() => loadModelBytes(buildModel(reshapeAttr(5)), "r5.onnx"));
    expect(e.reason).toMatch(/input 1 is required/);
    expect(e.details.node).toBe("n");
  });
  it("an opset import spelled ai.onnx counts as the default domain", () => {
    const proto = buildModelProto(reshapeAttr(4));
    proto.opsetImport = [{ domain: "ai.onnx", version: 4 }];
    expect(loadModelBytes(encodeModel(proto), "ai.onnx").opset).toBe(4);
  });
});

describe("symbolic dims", () => {
  const spec = (shape: (number | string | null)[]): ModelSpec => ({
    opset: 17,
    inputs: [{ name: "x", shape }],
    outputs: [{ name: "y" }],
    nodes: [node("Identity", ["x"], ["y"])],
  });
  it("a symbolic or unknown batch dim becomes 1, with a warning", () => {
    for (const d of ["N", null]) {
      const g = loadModelBytes(buildModel(spec([d, 3])), "b.onnx");
      expect(g.inputs[0]!.shape).toEqual([1, 3]);
      expect(g.warnings).toHaveLength(1);
      expect(g.warnings[0]).toMatch(/input "x": dim 0/);
    }
  });
  it("inputShapes chooses symbolic dims; fixed dims must agree", () => {
    const g = loadModelBytes(buildModel(spec(["N", "H", 3])), "b.onnx", { inputShapes: { x: [2, 5, 3] } });
    expect(g.inputs[0]!.shape).toEqual([2, 5, 3]);
    expect(g.outputs[0]!.shape).toEqual([2, 5, 3]);
    const bad = catchZkc(() => loadModelBytes(buildModel(spec(["N", "H", 3])), "b.onnx", { inputShapes: { x: [2, 5, 4] } }));
    expect(bad.code).toBe("INPUT");
    expect(bad.details.expected).toBe("[N, H, 3]");
    const unknown = catchZkc(() => loadModelBytes(buildModel(spec([1, 3])), "b.onnx", { inputShapes: { z: [1] } }));
    expect(unknown.code).toBe("INPUT");
    expect(unknown.details.hint).toMatch(/inputs are: x/);
  });
  it("a symbolic dim other than the batch is an error telling the user to pass shapes", () => {
    const e = catchZkc(() => loadModelBytes(buildModel(spec([1, "seq", 3])), "s.onnx"));
    expect(e.code).toBe("UNSUPPORTED_FEATURE");
    expect(e.reason).toMatch(/graph input "x" has a symbolic dim 1 \(seq\)/);
    expect(e.details.hint).toMatch(/inputShapes/);
  });
  it("an input with no shape at all needs inputShapes", () => {
    const e = catchZkc(() => loadModelBytes(buildModel({ ...spec([]), inputs: [{ name: "x" }] }), "n.onnx"));
    expect(e.code).toBe("UNSUPPORTED_FEATURE");
    expect(e.reason).toMatch(/no shape/);
    expect(loadModelBytes(buildModel({ ...spec([]), inputs: [{ name: "x" }] }), "n.onnx", { inputShapes: { x: [4] } }).inputs[0]!.shape).toEqual([4]);
  });
  it("constants binds a graph input at compile time and checks its declaration", () => {
    const g = loadModelBytes(buildModel(spec([2])), "c.onnx", { constants: { x: tensorOf("float32", [2], [1, 2]) } });
    expect(g.inputs).toHaveLength(0);
    expect(Array.from(g.constants.get("y")!.data)).toEqual([1, 2]);
    const e = catchZkc(() => loadModelBytes(buildModel(spec([2])), "c.onnx", { constants: { x: tensorOf("float32", [3], [1, 2, 3]) } }));
    expect(e.code).toBe("INPUT");
  });
});

describe("files", () => {
  it("loadModelFile reads a model from disk; a missing file is an INPUT error", () => {
    const dir = mkdtempSync(join(tmpdir(), "zkc-frontend-"));
    try {
      const path = join(dir, "m.onnx");
      writeFileSync(path, buildModel({ opset: 17, inputs: [{ name: "x", shape: [2] }], outputs: [{ name: "y" }], nodes: [node("Identity", ["x"], ["y"])] }));
      const g = loadModelFile(path);
      expect(g.source).toBe(path);
      expect(g.inputs[0]!.shape).toEqual([2]);
      const e = catchZkc(() => loadModelFile(join(dir, "missing.onnx")));
      expect(e.code).toBe("INPUT");
      expect(e.message).toMatch(/missing\.onnx: cannot read model file: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!HAVE_CONFORMANCE)("decodes ONNX test-case .pb tensors", () => {
    const dir = `${CONFORMANCE_NODE_DIR}test_transpose_default/test_data_set_0/`;
    const x = decodeTensorProto(readFileSync(`${dir}input_0.pb`), { file: "input_0.pb" });
    const y = decodeTensorProto(readFileSync(`${dir}output_0.pb`), { file: "output_0.pb" });
    expect(x.dtype).toBe("float32");
    expect(x.shape).toEqual([2, 3, 4]);
    expect(y.shape).toEqual([4, 3, 2]);
    // y is x with all axes reversed
    expect(y.data[1 * 6 + 2 * 2 + 1]).toBe(x.data[1 * 12 + 2 * 4 + 1]);
  });
});
