/**
 * Shape rules and their errors, called directly on the OpDefs: every bad broadcast, out-of-range
 * axis, duplicate axis, dtype mismatch or bad attribute must throw a ZkcError with the right code
 * that names the node, the op and the shapes involved; good inputs give numpy's shapes.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import type { AttrValue, Node } from "../../../compiler/ir/graph.js";
import { opContext } from "../../../compiler/ir/infer.js";
import { type DType, tensorOf } from "../../../compiler/ir/tensor.js";
import type { InputInfo, OpDef } from "../../../compiler/ops/op.js";
import { Add_1, Add_7 } from "../../../compiler/ops/add.js";
import { ArgMax_1 } from "../../../compiler/ops/arg-max.js";
import { Clip_11 } from "../../../compiler/ops/clip.js";
import { CumSum_11 } from "../../../compiler/ops/cumsum.js";
import { Equal_7 } from "../../../compiler/ops/equal.js";
import { Max_8 } from "../../../compiler/ops/max.js";
import { Mod_10 } from "../../../compiler/ops/mod.js";
import { NegativeLogLikelihoodLoss_12 } from "../../../compiler/ops/negative-log-likelihood-loss.js";
import { Pow_7 } from "../../../compiler/ops/pow.js";
import { PRelu_1, PRelu_7 } from "../../../compiler/ops/prelu.js";
import { ReduceMean_1, ReduceMean_18 } from "../../../compiler/ops/reduce-mean.js";
import { ReduceSum_13 } from "../../../compiler/ops/reduce-sum.js";
import { Softmax_1, Softmax_13 } from "../../../compiler/ops/softmax.js";
import { Sqrt_1 } from "../../../compiler/ops/sqrt.js";

function ctxFor(def: OpDef, attrs: Record<string, AttrValue> = {}, opset = 22) {
  const node: Node = { name: "node_7", opType: def.opType, domain: "", inputs: ["a", "b", "c"], outputs: ["y"], attrs };
  return opContext(node, opset, "model.onnx");
}

const info = (shape: number[], dtype: DType = "float32"): InputInfo => ({ dtype, shape });
const ints = (value: number[]): AttrValue => ({ type: "ints", value });
const int = (value: number): AttrValue => ({ type: "int", value });

/** Runs `fn`, expecting a ZkcError; returns it. */
function zkcError(fn: () => unknown): ZkcError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZkcError);
    return e as ZkcError;
  }
  throw new Error("expected a ZkcError, nothing was thrown");
}

describe("broadcasting shape rules", () => {
  it("numpy broadcasting for binary and variadic ops", () => {
    expect(Add_7.infer([info([2, 1, 4]), info([3, 1])], ctxFor(Add_7))).toEqual([{ dtype: "float32", shape: [2, 3, 4] }]);
    expect(Equal_7.infer([info([4], "int64"), info([], "int64")], ctxFor(Equal_7))).toEqual([{ dtype: "bool", shape: [4] }]);
    expect(Max_8.infer([info([5, 1]), info([1, 6]), info([6])], ctxFor(Max_8))[0]!.shape).toEqual([5, 6]);
  });
  it("rejects incompatible shapes with SHAPE naming both shapes, the node and the op", () => {
    const e = zkcError(() => Add_7.infer([info([2, 3]), info([4])], ctxFor(Add_7)));
    expect(e.code).toBe("SHAPE");
    expect(e.message).toContain("[2, 3] and [4]");
    expect(e.message).toContain('node "node_7" (Add)');
    expect(e.details.file).toBe("model.onnx");
    expect(zkcError(() => Max_8.infer([info([5, 2]), info([1, 6])], ctxFor(Max_8))).code).toBe("SHAPE");
  });
  it("rejects mixed dtypes (UNSUPPORTED_DTYPE) but lets Pow's exponent differ", () => {
    expect(zkcError(() => Add_7.infer([info([2], "float32"), info([2], "int64")], ctxFor(Add_7))).code).toBe("UNSUPPORTED_DTYPE");
    expect(Pow_7.infer([info([2], "float32"), info([2], "int64")], ctxFor(Pow_7))[0]!.dtype).toBe("float32");
  });
  it("rejects dtypes outside the op's constraint", () => {
    expect(zkcError(() => Sqrt_1.infer([info([2], "int32")], ctxFor(Sqrt_1))).code).toBe("UNSUPPORTED_DTYPE");
    const e = zkcError(() => Mod_10.infer([info([2]), info([2])], ctxFor(Mod_10)));
    expect(e.code).toBe("ATTRIBUTE"); // float Mod needs fmod=1
  });
  it("legacy (opset < 7) broadcasting: B aligned at axis with broadcast=1, equal shapes otherwise", () => {
    const ctx = ctxFor(Add_1, { broadcast: int(1), axis: int(1) }, 6);
    expect(Add_1.infer([info([2, 3, 4]), info([3])], ctx)[0]!.shape).toEqual([2, 3, 4]);
    // numpy would align [3] with the last axis (4) and fail; legacy axis=1 puts it on axis 1
    const a = tensorOf("float32", [2, 3, 2], [...Array(12).keys()]);
    const b = tensorOf("float32", [3], [100, 200, 300]);
    const [y] = Add_1.run([a, b], ctx);
    expect([...y!.data]).toEqual([100, 101, 202, 203, 304, 305, 106, 107, 208, 209, 310, 311]);
    expect(zkcError(() => Add_7.infer([info([2, 3, 2]), info([3])], ctxFor(Add_7))).code).toBe("SHAPE");
    // without broadcast=1 the shapes must be equal, even where numpy would broadcast
    expect(zkcError(() => Add_1.infer([info([2, 3]), info([3])], ctxFor(Add_1, {}, 6))).code).toBe("SHAPE");
    // default axis: B's dims are A's trailing dims
    expect(Add_1.infer([info([2, 3, 4]), info([3, 4])], ctxFor(Add_1, { broadcast: int(1) }, 6))[0]!.shape).toEqual([2, 3, 4]);
    expect(zkcError(() => Add_1.infer([info([2, 3, 4]), info([3])], ctxFor(Add_1, { broadcast: int(1) }, 6))).code).toBe("SHAPE");
  });
  it("PRelu: slope must broadcast to X's shape (unidirectional); legacy per-channel slope", () => {
    expect(PRelu_7.infer([info([2, 3, 4]), info([3, 1])], ctxFor(PRelu_7))[0]!.shape).toEqual([2, 3, 4]);
    expect(zkcError(() => PRelu_7.infer([info([3, 1]), info([2, 3, 4])], ctxFor(PRelu_7))).code).toBe("SHAPE");
    const x = tensorOf("float32", [1, 2, 2], [-1, -2, -3, 4]);
    const slope = tensorOf("float32", [2], [0.5, 0.25]);
    const [y] = PRelu_1.run([x, slope], ctxFor(PRelu_1, {}, 6));
    expect([...y!.data]).toEqual([-0.5, -1, -0.75, 4]);
  });
});

describe("axis rules", () => {
  it("Softmax: axis in [-r, r); both versions", () => {
    expect(Softmax_13.infer([info([2, 3])], ctxFor(Softmax_13, { axis: int(-2) }))[0]!.shape).toEqual([2, 3]);
    for (const def of [Softmax_1, Softmax_13]) {
      const e = zkcError(() => def.infer([info([2, 3])], ctxFor(def, { axis: int(2) })));
      expect(e.code).toBe("SHAPE");
      expect(e.message).toMatch(/axis 2 is out of range for rank 2/);
    }
    expect(zkcError(() => Softmax_13.infer([info([])], ctxFor(Softmax_13))).code).toBe("SHAPE");
  });
  it("ArgMax: int64 output, keepdims, axis out of range", () => {
    expect(ArgMax_1.infer([info([2, 3, 4])], ctxFor(ArgMax_1, { axis: int(1) }))).toEqual([{ dtype: "int64", shape: [2, 1, 4] }]);
    expect(ArgMax_1.infer([info([2, 3, 4])], ctxFor(ArgMax_1, { axis: int(-1), keepdims: int(0) }))[0]!.shape).toEqual([2, 3]);
    expect(zkcError(() => ArgMax_1.infer([info([2, 3])], ctxFor(ArgMax_1, { axis: int(-3) }))).code).toBe("SHAPE");
  });
  it("Reduce: attribute axes (opset < 18) vs constant input axes, duplicates and range", () => {
    expect(ReduceMean_1.infer([info([2, 3, 4])], ctxFor(ReduceMean_1, { axes: ints([0, -1]) }))[0]!.shape).toEqual([1, 3, 1]);
    expect(ReduceMean_1.infer([info([2, 3, 4])], ctxFor(ReduceMean_1, { keepdims: int(0) }))[0]!.shape).toEqual([]);
    const axes = { ...info([1], "int64"), constant: tensorOf("int64", [1], [1]) };
    expect(ReduceMean_18.infer([info([2, 3, 4]), axes], ctxFor(ReduceMean_18, { keepdims: int(0) }))[0]!.shape).toEqual([2, 4]);
    expect(zkcError(() => ReduceMean_1.infer([info([2, 3])], ctxFor(ReduceMean_1, { axes: ints([2]) }))).code).toBe("SHAPE");
    expect(zkcError(() => ReduceMean_1.infer([info([2, 3])], ctxFor(ReduceMean_1, { axes: ints([1, -1]) }))).message).toMatch(/twice/);
    // the attribute form is wrong from the input version on
    expect(zkcError(() => ReduceMean_18.infer([info([2, 3])], ctxFor(ReduceMean_18, { axes: ints([1]) }))).code).toBe("ATTRIBUTE");
    // a runtime axes input cannot be compiled
    const e = zkcError(() => ReduceSum_13.infer([info([2, 3]), info([1], "int64")], ctxFor(ReduceSum_13)));
    expect(e.code).toBe("UNSUPPORTED_FEATURE");
    expect(e.message).toContain('"b"');
  });
  it("CumSum: the axis must be a constant scalar in range", () => {
    const axis = (v: number[], shape: number[]) => ({ ...info(shape, "int64"), constant: tensorOf("int64", shape, v) });
    expect(CumSum_11.infer([info([2, 3]), axis([-1], [])], ctxFor(CumSum_11))[0]!.shape).toEqual([2, 3]);
    expect(zkcError(() => CumSum_11.infer([info([2, 3]), axis([2], [])], ctxFor(CumSum_11))).code).toBe("SHAPE");
    expect(zkcError(() => CumSum_11.infer([info([2, 3]), axis([0, 1], [2])], ctxFor(CumSum_11))).code).toBe("SHAPE");
  });
  it("Clip 11: bounds must be scalars of X's dtype", () => {
    expect(Clip_11.infer([info([2, 3]), undefined, info([1])], ctxFor(Clip_11))[0]!.shape).toEqual([2, 3]);
    expect(zkcError(() => Clip_11.infer([info([2, 3]), info([2])], ctxFor(Clip_11))).code).toBe("SHAPE");
    expect(zkcError(() => Clip_11.infer([info([2, 3]), info([], "float64")], ctxFor(Clip_11))).code).toBe("UNSUPPORTED_DTYPE");
  });
  it("NegativeLogLikelihoodLoss: target shape must be input's without C; labels must be classes", () => {
    const ctx = ctxFor(NegativeLogLikelihoodLoss_12, { reduction: { type: "string", value: "sum" } });
    expect(NegativeLogLikelihoodLoss_12.infer([info([2, 3, 4]), info([2, 4], "int64")], ctx)[0]!.shape).toEqual([]);
    expect(zkcError(() => NegativeLogLikelihoodLoss_12.infer([info([2, 3, 4]), info([2, 3], "int64")], ctx)).code).toBe("SHAPE");
    expect(zkcError(() => NegativeLogLikelihoodLoss_12.infer([info([2, 3]), info([2], "int64"), info([2])], ctx)).code).toBe("SHAPE");
    const bad = { reduction: { type: "string" as const, value: "max" } };
    expect(zkcError(() => NegativeLogLikelihoodLoss_12.infer([info([2, 3]), info([2], "int64")], ctxFor(NegativeLogLikelihoodLoss_12, bad))).code).toBe("ATTRIBUTE");
    const logp = tensorOf("float32", [2, 3], [-1, -2, -3, -4, -5, -6]);
    const [loss] = NegativeLogLikelihoodLoss_12.run([logp, tensorOf("int64", [2], [2, 0])], ctx);
    expect([...loss!.data]).toEqual([7]);
    expect(zkcError(() => NegativeLogLikelihoodLoss_12.run([logp, tensorOf("int64", [2], [3, 0])], ctx)).code).toBe("INPUT");
  });
  it("a required input that is missing is a SHAPE error naming its position", () => {
    expect(zkcError(() => Add_7.infer([info([2]), undefined], ctxFor(Add_7))).message).toMatch(/input 1 is required/);
  });
});
