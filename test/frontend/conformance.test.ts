/**
 * ONNX's own node test cases for the shape/data-movement ops (../shared/onnx-conformance; skipped
 * when absent). Two adaptations, both stated here:
 * - cases generated at an opset newer than zkc's MAX_OPSET (26-28): for these ops those versions
 *   only add dtypes (float8/float4/int4/int2 kinds), so the opset import is lowered to MAX_OPSET
 *   before loading;
 * - zkc needs shape arguments at compile time, and the cases feed them as graph inputs: every
 *   input after the first (and a lone int64 input, as in ConstantOfShape, and all of Range's) is
 *   bound with `LoadOptions.constants`, so those nodes fold and their float semantics run at load time.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runFloat } from "../../compiler/float/interpret.js";
import type { Tensor } from "../../compiler/ir/tensor.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { onnx, toNumber } from "../../compiler/onnx/proto.js";
import { decodeTensorProto } from "../../compiler/onnx/tensor-proto.js";
import { MAX_OPSET } from "../../compiler/ops/registry.js";
import { CONFORMANCE_NODE_DIR, HAVE_CONFORMANCE } from "./conformance-dir.js";

const OPS =
  /^test_(reshape|transpose|slice|gather_[0-9]|gather_negative|concat|split_|squeeze|unsqueeze|flatten|expand|tile|where|cast_|castlike_|shape|size|constant|identity|dropout|edge_pad|reflect_pad|wrap_pad|constantofshape|range|gather_elements|gathernd|depthtospace|spacetodepth|tril|triu|scatter|onehot|eyelike)/;

/** Cases zkc cannot run, with the reason. */
const SKIPS: [RegExp, string][] = [
  [/FLOAT8|FLOAT4|INT4|UINT4|INT2|UINT2|e8m0|no_saturate/, "8-, 4- and 2-bit dtypes are not supported by zkc"],
  [/STRING/, "string tensors are not supported by zkc"],
  [/sequence|_opt$/, "sequence and optional values are not supported by zkc"],
  [/training/, "Dropout in training mode is random; zkc supports inference only"],
  [/^test_range_.*_expanded$/, "the expanded form of Range is a Loop, which zkc does not support"],
];

const cases = HAVE_CONFORMANCE ? readdirSync(CONFORMANCE_NODE_DIR).filter((d) => OPS.test(d)).sort() : [];

function runCase(name: string): { got: Tensor; want: Tensor }[] {
  const dir = `${CONFORMANCE_NODE_DIR}${name}/`;
  const model = onnx.ModelProto.decode(readFileSync(`${dir}model.onnx`));
  for (const o of model.opsetImport) if ((!o.domain || o.domain === "ai.onnx") && toNumber(o.version) > MAX_OPSET) o.version = MAX_OPSET;
  const names = (model.graph?.input ?? []).map((i) => i.name ?? "");
  const feeds: Record<string, Tensor> = {};
  const constants: Record<string, Tensor> = {};
  names.forEach((n, i) => {
    const t = decodeTensorProto(readFileSync(`${dir}test_data_set_0/input_${i}.pb`), { file: `input_${i}.pb` });
    if (i > 0 || (t.dtype === "int64" && names.length === 1) || name.startsWith("test_range")) constants[n] = t;
    else feeds[n] = t;
  });
  const graph = loadModelBytes(onnx.ModelProto.encode(model).finish(), `${name}/model.onnx`, { constants });
  const out = runFloat(graph, feeds);
  return graph.outputs.map((o, i) => ({
    got: out.get(o.name)!,
    want: decodeTensorProto(readFileSync(`${dir}test_data_set_0/output_${i}.pb`), { file: `output_${i}.pb` }),
  }));
}

describe.skipIf(!HAVE_CONFORMANCE)("ONNX node cases: shape and data-movement ops", () => {
  it("found the cases", () => {
    expect(cases.length).toBeGreaterThan(100);
  });
  for (const name of cases) {
    const skip = SKIPS.find(([re]) => re.test(name));
    if (skip) {
      it.skip(`${name} (${skip[1]})`, () => {});
      continue;
    }
    it(name, () => {
      for (const { got, want } of runCase(name)) {
        expect(got.dtype).toBe(want.dtype);
        expect(got.shape).toEqual(want.shape);
        // these ops move or convert values: bit-exact, NaN where the case has NaN
        expect(Array.from(got.data).map((v) => (Number.isNaN(v) ? "NaN" : v))).toEqual(Array.from(want.data).map((v) => (Number.isNaN(v) ? "NaN" : v)));
      }
    });
  }
});
