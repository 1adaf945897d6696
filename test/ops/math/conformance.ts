/**
 * Runs ONNX's own node test cases (onnx/backend/test/data/node/test_* : model.onnx plus
 * test_data_set_0/{input,output}_N.pb) through zkc's frontend, shape inference and float
 * interpreter, and compares with ONNX's expected outputs. The cases live outside the repo in
 * ../shared/onnx-conformance/node; callers skip when that directory is absent.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ZkcError } from "../../../compiler/errors.js";
import { runFloat } from "../../../compiler/float/interpret.js";
import { inferGraph } from "../../../compiler/ir/infer.js";
import { type Tensor, isFloat, shapeToString } from "../../../compiler/ir/tensor.js";
import { decodeModel } from "../../../compiler/onnx/load.js";
import type { AttrValue, Node } from "../../../compiler/ir/graph.js";
import { opContext } from "../../../compiler/ir/infer.js";
import { type LongLike, onnx, toNumber } from "../../../compiler/onnx/proto.js";
import type { OpDef } from "../../../compiler/ops/op.js";
import { decodeTensorProto } from "../../../compiler/onnx/tensor-proto.js";

/** ../shared/onnx-conformance/node relative to the repo root. */
export const CONFORMANCE_DIR = fileURLToPath(new URL("../../../../shared/onnx-conformance/node/", import.meta.url));

export const conformanceAvailable = existsSync(CONFORMANCE_DIR);

/** Case directories whose every node has an op type in `opTypes` (expanded function bodies included). */
export function casesFor(opTypes: ReadonlySet<string>): string[] {
  if (!conformanceAvailable) return [];
  const cases: string[] = [];
  for (const name of readdirSync(CONFORMANCE_DIR).sort()) {
    const modelPath = `${CONFORMANCE_DIR}${name}/model.onnx`;
    if (!existsSync(modelPath)) continue;
    const model = onnx.ModelProto.decode(readFileSync(modelPath));
    const nodes = model.graph?.node ?? [];
    if (nodes.length > 0 && nodes.every((n) => (!n.domain || n.domain === "ai.onnx") && opTypes.has(n.opType ?? ""))) {
      cases.push(name);
    }
  }
  return cases;
}

/** The outcome of one case: null when every output matches, else the first mismatch. */
export function runCase(name: string, rtol = 1e-3, atol = 1e-5): string | null {
  const dir = `${CONFORMANCE_DIR}${name}/`;
  const modelBytes = readFileSync(`${dir}model.onnx`);
  const data = `${dir}test_data_set_0/`;
  // the case's own inputs fix any symbolic dims of the model's inputs
  const inputNames = (onnx.ModelProto.decode(modelBytes).graph?.input ?? []).map((i) => i.name ?? "");
  const feeds: Record<string, Tensor> = {};
  inputNames.forEach((inputName, i) => {
    if (existsSync(`${data}input_${i}.pb`)) feeds[inputName] = readPb(`${data}input_${i}.pb`);
  });
  const inputShapes = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, [...t.shape]]));
  const decoded = decodeModel(modelBytes, `${name}/model.onnx`, { inputShapes });

  // zkc needs static axes/bounds: when a runtime input must be constant, feed those as constants
  let graph;
  try {
    graph = inferGraph(decoded);
  } catch (e) {
    if (!(e instanceof ZkcError) || e.code !== "UNSUPPORTED_FEATURE") throw e;
    const constants = new Map(decoded.constants);
    const inputs = decoded.inputs.filter((input) => {
      if (isFloat(input.dtype)) return true;
      constants.set(input.name, feeds[input.name]!);
      return false;
    });
    graph = inferGraph({ ...decoded, inputs, constants });
  }
  const present = Object.fromEntries(graph.inputs.map((i) => [i.name, feeds[i.name]!]));
  const got = runFloat(graph, present);

  for (let i = 0; i < graph.outputs.length; i++) {
    const out = graph.outputs[i]!;
    const expected = readPb(`${data}output_${i}.pb`);
    const inferred = graph.values.get(out.name)!;
    const actual = got.get(out.name) ?? graph.constants.get(out.name)!;
    if (inferred.dtype !== expected.dtype || shapeToString(inferred.shape) !== shapeToString(expected.shape)) {
      return `output ${i} ("${out.name}"): shape rule gave ${inferred.dtype} ${shapeToString(inferred.shape)}, expected ${expected.dtype} ${shapeToString(expected.shape)}`;
    }
    const problem = compare(expected, actual, rtol, atol);
    if (problem) return `output ${i} ("${out.name}"): ${problem}`;
  }
  return null;
}

function readPb(path: string): Tensor {
  return decodeTensorProto(readFileSync(path), { file: path });
}

/** null when `actual` matches `expected` (dtype, shape, values within rtol/atol; NaN matches NaN). */
export function compare(expected: Tensor, actual: Tensor, rtol: number, atol: number): string | null {
  if (expected.dtype !== actual.dtype) return `dtype ${actual.dtype}, expected ${expected.dtype}`;
  if (shapeToString(expected.shape) !== shapeToString(actual.shape)) {
    return `shape ${shapeToString(actual.shape)}, expected ${shapeToString(expected.shape)}`;
  }
  const exact = !isFloat(expected.dtype);
  for (let k = 0; k < expected.data.length; k++) {
    const e = expected.data[k]!;
    const a = actual.data[k]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (e === a) continue;
    if (exact || !(Math.abs(a - e) <= atol + rtol * Math.abs(e))) return `element ${k} is ${a}, expected ${e}`;
  }
  return null;
}

/**
 * Runs a single-node case directly through `def` (infer with every input known, then run),
 * bypassing the frontend: for cases stamped with an opset above zkc's MAX_OPSET whose newer
 * version only widens dtypes. Attributes of kinds int, float, string and ints are decoded here.
 */
export function runCaseDirect(name: string, def: OpDef, opset: number, rtol = 1e-3, atol = 1e-5): string | null {
  const dir = `${CONFORMANCE_DIR}${name}/`;
  const graph = onnx.ModelProto.decode(readFileSync(`${dir}model.onnx`)).graph!;
  const [proto] = graph.node ?? [];
  if (!proto || (graph.node ?? []).length !== 1) throw new Error(`${name}: not a single-node case`);
  const attrs: Record<string, AttrValue> = {};
  for (const a of proto.attribute ?? []) {
    const n = a.name ?? "";
    if (a.type === onnx.AttributeProto.AttributeType.INT) attrs[n] = { type: "int", value: toNumber(a.i as LongLike) };
    else if (a.type === onnx.AttributeProto.AttributeType.FLOAT) attrs[n] = { type: "float", value: a.f ?? 0 };
    else if (a.type === onnx.AttributeProto.AttributeType.STRING) attrs[n] = { type: "string", value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    else if (a.type === onnx.AttributeProto.AttributeType.INTS) attrs[n] = { type: "ints", value: (a.ints ?? []).map((v) => toNumber(v as LongLike)) };
    else throw new Error(`${name}: attribute ${n} of kind ${a.type} not decoded by runCaseDirect`);
  }
  const node: Node = { name: proto.name ?? "", opType: proto.opType ?? "", domain: "", inputs: proto.input ?? [], outputs: proto.output ?? [], attrs };
  const data = `${dir}test_data_set_0/`;
  const inputs = node.inputs.map((inputName, i) => (inputName === "" ? undefined : readPb(`${data}input_${i}.pb`)));
  const ctx = opContext(node, opset, name);
  const infos = def.infer(
    inputs.map((t) => (t ? { dtype: t.dtype, shape: [...t.shape], constant: t } : undefined)),
    ctx,
  );
  const outs = def.run(inputs, ctx);
  for (let i = 0; i < node.outputs.length; i++) {
    const expected = readPb(`${data}output_${i}.pb`);
    if (infos[i]!.dtype !== expected.dtype || shapeToString(infos[i]!.shape) !== shapeToString(expected.shape)) {
      return `output ${i}: shape rule gave ${infos[i]!.dtype} ${shapeToString(infos[i]!.shape)}, expected ${expected.dtype} ${shapeToString(expected.shape)}`;
    }
    const problem = compare(expected, outs[i]!, rtol, atol);
    if (problem) return `output ${i}: ${problem}`;
  }
  return null;
}
