/**
 * Bad input: every malformed or unsupported model must fail with a typed ZkcError that names the
 * file (and the node and op where there is one) and says what to do — never a bare Error.
 * Each case sits beside a control showing the same model without the defect loads.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../compiler/errors.js";
import { tensorOf } from "../../compiler/ir/tensor.js";
import { type ModelSpec, buildModel, buildModelProto, encodeModel, node } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { MAX_OPSET } from "../../compiler/ops/registry.js";
import { rng } from "./helpers.js";

function loadError(bytes: Uint8Array, file = "model.onnx"): ZkcError {
  try {
    loadModelBytes(bytes, file);
  } catch (e) {
    if (e instanceof ZkcError) {
      expect(e.details.file).toBe(file);
      expect(e.details.hint, `hint for: ${e.message}`).toBeTruthy();
      expect(e.code).not.toBe("INTERNAL");
      return e;
    }
    throw new Error(`expected a ZkcError, got ${String(e)}`);
  }
  throw new Error("expected a ZkcError, the model loaded");
}

/** x [2,3] -> Transpose -> Concat with w [3,2] -> Slice columns 0..2 -> y [3,2] */
const good: ModelSpec = {
  opset: 17,
  inputs: [{ name: "x", shape: [2, 3] }],
  outputs: [{ name: "y", shape: [3, 2] }],
  initializers: {
    w: tensorOf("float32", [3, 2], [1, 2, 3, 4, 5, 6]),
    s: tensorOf("int64", [1], [0]),
    e: tensorOf("int64", [1], [2]),
    a: tensorOf("int64", [1], [1]),
  },
  nodes: [
    node("Transpose", ["x"], ["t"], undefined, "tr"),
    node("Concat", ["t", "w"], ["c"], { axis: 1 }, "cat"),
    node("Slice", ["c", "s", "e", "a"], ["y"], undefined, "sl"),
  ],
};

describe("bad model files", () => {
  const bytes = buildModel(good);

  it("control: the well-formed model loads", () => {
    const g = loadModelBytes(bytes, "model.onnx");
    expect(g.outputs[0]!.shape).toEqual([3, 2]);
  });

  it("empty file", () => {
    const e = loadError(new Uint8Array(0));
    expect(e.code).toBe("MODEL_FORMAT");
    expect(e.reason).toMatch(/empty/);
  });

  it("truncated file, at many cut points", () => {
    // every cut inside the graph must be caught, either by the protobuf reader or by the checks after it
    const r = rng(1);
    for (let k = 0; k < 25; k++) {
      const cut = 1 + Math.floor(r() * (bytes.length - 2));
      const e = loadError(bytes.subarray(0, cut));
      expect(["MODEL_FORMAT", "SHAPE", "UNSUPPORTED_FEATURE"]).toContain(e.code);
    }
    const e = loadError(bytes.subarray(0, bytes.length - 7));
    expect(e.code).toBe("MODEL_FORMAT");
    expect(e.reason).toMatch(/not a valid ONNX protobuf/);
  });

  it("not a protobuf: text, random bytes, a PNG header", () => {
    const text = new TextEncoder().encode("this is a text file, not a model\n");
    const r = rng(2);
    const random = Uint8Array.from({ length: 512 }, () => Math.floor(r() * 256));
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    for (const b of [text, random, png]) expect(loadError(b).code).toBe("MODEL_FORMAT");
  });

  it("a ModelProto without a graph", () => {
    const e = loadError(encodeModel({ irVersion: 8, opsetImport: [{ domain: "", version: 17 }] }));
    expect(e.code).toBe("MODEL_FORMAT");
    expect(e.reason).toMatch(/no graph/);
  });

  it("a model importing no default-domain opset", () => {
    const proto = buildModelProto(good);
    proto.opsetImport = [{ domain: "com.microsoft", version: 1 }];
    const e = loadError(encodeModel(proto));
    expect(e.code).toBe("MODEL_FORMAT");
    expect(e.reason).toMatch(/no default-domain opset/);
  });
});

describe("unsupported content", () => {
  it("an opset newer than supported names the version and the maximum", () => {
    expect(() => loadModelBytes(buildModel({ ...good, opset: MAX_OPSET }), "m.onnx")).not.toThrow();
    const e = loadError(buildModel({ ...good, opset: MAX_OPSET + 1 }));
    expect(e.code).toBe("UNSUPPORTED_OPSET");
    expect(e.details.got).toBe(String(MAX_OPSET + 1));
    expect(e.details.hint).toMatch(new RegExp(`opset ${MAX_OPSET} or older`));
  });

  it("an unknown op: names every unsupported op, the first node, and lists supported ops", () => {
    const spec: ModelSpec = {
      ...good,
      nodes: [node("Transpose", ["x"], ["t"]), node("FancyOp", ["t"], ["u"], undefined, "fancy"), node("OtherOp", ["u"], ["y"])],
    };
    const e = loadError(buildModel(spec));
    expect(e.code).toBe("UNSUPPORTED_OP");
    expect(e.details.node).toBe("fancy");
    expect(e.details.op).toBe("FancyOp");
    expect(e.reason).toMatch(/"FancyOp", "OtherOp" are not supported \(2 nodes\)/);
    expect(e.details.hint).toMatch(/supported ops: .*Reshape.*Transpose/);
  });

  it("an op from a non-default domain", () => {
    const spec: ModelSpec = { ...good, opsets: { "com.microsoft": 1 }, nodes: [{ op: "Transpose", inputs: ["x"], outputs: ["y"], domain: "com.microsoft", name: "ms" }] };
    const e = loadError(buildModel(spec));
    expect(e.code).toBe("UNSUPPORTED_OP");
    expect(e.details.op).toBe("com.microsoft::Transpose");
    expect(e.details.hint).toMatch(/default ONNX domain and ai.onnx.ml only/);
  });

  it("a string input and a complex64 initializer", () => {
    const proto = buildModelProto(good);
    proto.graph!.input![0]!.type!.tensorType!.elemType = 8;
    const e = loadError(encodeModel(proto));
    expect(e.code).toBe("UNSUPPORTED_DTYPE");
    expect(e.reason).toMatch(/graph input "x" has data type STRING/);

    const proto2 = buildModelProto(good);
    proto2.graph!.initializer!.push({ name: "z", dataType: 14, dims: [1], floatData: [1, 2] });
    const e2 = loadError(encodeModel(proto2));
    expect(e2.code).toBe("UNSUPPORTED_DTYPE");
    expect(e2.reason).toMatch(/initializer "z" has data type COMPLEX64/);
  });

  it("external data", () => {
    const proto = buildModelProto(good);
    const w = proto.graph!.initializer!.find((t) => t.name === "w")!;
    w.rawData = null;
    w.dataLocation = 1;
    w.externalData = [{ key: "location", value: "weights.bin" }, { key: "offset", value: "0" }, { key: "length", value: "24" }];
    const e = loadError(encodeModel(proto));
    expect(e.code).toBe("UNSUPPORTED_FEATURE");
    expect(e.reason).toMatch(/initializer "w" stores its data outside the model file/);
    expect(e.details.hint).toMatch(/save_as_external_data=False/);
  });

  it("a sequence-typed output", () => {
    const proto = buildModelProto(good);
    proto.graph!.output![0]!.type = { sequenceType: { elemType: { tensorType: { elemType: 1 } } } };
    const e = loadError(encodeModel(proto));
    expect(e.code).toBe("UNSUPPORTED_FEATURE");
    expect(e.reason).toMatch(/graph output "y" is a sequence/);
  });
});

describe("shape mismatches", () => {
  it("Reshape to a wrong element count names the node, op and counts", () => {
    const spec: ModelSpec = { ...good, outputs: [{ name: "y" }], nodes: [node("Reshape", ["x", "s"], ["y"], undefined, "rs")], initializers: { s: tensorOf("int64", [2], [4, 2]) } };
    const e = loadError(buildModel(spec));
    expect(e.code).toBe("SHAPE");
    expect(e.details.node).toBe("rs");
    expect(e.details.op).toBe("Reshape");
    expect(e.details.expected).toBe("6 elements");
    expect(e.details.got).toBe("8");
  });

  it("Concat of mismatched dims", () => {
    const spec: ModelSpec = { ...good, outputs: [{ name: "y" }], nodes: [node("Concat", ["x", "w"], ["y"], { axis: 0 }, "cat")] };
    const e = loadError(buildModel(spec));
    expect(e.code).toBe("SHAPE");
    expect(e.details.node).toBe("cat");
    expect(e.message).toMatch(/model\.onnx: node "cat" \(Concat\): input 1 does not match input 0 outside axis 0/);
  });

  it("a declared output dtype that inference contradicts", () => {
    const e = loadError(buildModel({ ...good, outputs: [{ name: "y", dtype: "int64", shape: [3, 2] }] }));
    expect(e.code).toBe("SHAPE");
    expect(e.details.expected).toBe("int64");
    expect(e.details.got).toBe("float32");
  });

  it("a declared output shape that inference contradicts", () => {
    const e = loadError(buildModel({ ...good, outputs: [{ name: "y", shape: [3, 3] }] }));
    expect(e.code).toBe("SHAPE");
    expect(e.details.expected).toBe("[3, 3]");
    expect(e.details.got).toBe("[3, 2]");
  });
});
