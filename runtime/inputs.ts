/**
 * Reading model inputs from JSON, in the two forms users bring:
 * - EZKL style: `{"input_data": [[...], ...]}`, one flat row-major list per graph input, in
 *   graph-input order;
 * - by name: `{"<input name>": nested or flat array, ...}`.
 * A calibration file is one such object, or a JSON array of them (one per sample).
 */
import { ZkcError } from "../compiler/errors.js";
import type { ValueInfo } from "../compiler/ir/tensor.js";
import { shapeToString, sizeOf } from "../compiler/ir/tensor.js";

export type InputValues = Record<string, Float64Array>;

function flatten(v: unknown, out: number[], file: string, name: string): void {
  if (Array.isArray(v)) {
    for (const x of v) flatten(x, out, file, name);
    return;
  }
  if (typeof v !== "number") {
    throw new ZkcError("INPUT", `input "${name}" holds ${JSON.stringify(v)?.slice(0, 40)}, not a number`, {
      file,
      hint: "inputs are (nested) arrays of numbers",
    });
  }
  if (!Number.isFinite(v)) throw new ZkcError("INPUT", `input "${name}" holds a non-finite number`, { file });
  out.push(v);
}

/** Parses one input object against the graph's inputs; checks counts and names. */
export function parseInputs(json: unknown, inputs: readonly ValueInfo[], file: string): InputValues {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ZkcError("INPUT", "the input file must hold a JSON object", {
      file,
      hint: `use {"input_data": [[...]]} (EZKL style) or {"${inputs[0]?.name ?? "input"}": [...]}`,
    });
  }
  const obj = json as Record<string, unknown>;
  const rows: unknown[] = [];
  if ("input_data" in obj) {
    const data = obj.input_data;
    if (!Array.isArray(data) || data.length !== inputs.length) {
      throw new ZkcError("INPUT", `"input_data" must hold one list per graph input`, {
        file,
        expected: `${inputs.length} list(s): ${inputs.map((i) => i.name).join(", ")}`,
        got: Array.isArray(data) ? `${data.length} list(s)` : typeof data,
      });
    }
    rows.push(...data);
  } else {
    const unknown = Object.keys(obj).filter((k) => !inputs.some((i) => i.name === k));
    if (unknown.length) {
      throw new ZkcError("INPUT", `the input file names ${unknown.map((k) => `"${k}"`).join(", ")}, which the model does not have`, {
        file,
        hint: `the model's inputs: ${inputs.map((i) => `${i.name} ${shapeToString(i.shape)}`).join(", ")}`,
      });
    }
    for (const i of inputs) {
      if (!(i.name in obj)) throw new ZkcError("INPUT", `the input file has no value for input "${i.name}"`, { file, expected: shapeToString(i.shape) });
      rows.push(obj[i.name]);
    }
  }
  const out: InputValues = {};
  inputs.forEach((info, k) => {
    const flat: number[] = [];
    flatten(rows[k], flat, file, info.name);
    const n = sizeOf(info.shape);
    if (flat.length !== n) {
      throw new ZkcError("INPUT", `input "${info.name}" has ${flat.length} values`, {
        file,
        expected: `${n} (shape ${shapeToString(info.shape)})`,
        got: String(flat.length),
      });
    }
    out[info.name] = Float64Array.from(flat);
  });
  return out;
}

/** Parses a calibration file: one input object or an array of them. */
export function parseSamples(json: unknown, inputs: readonly ValueInfo[], file: string): InputValues[] {
  const list = Array.isArray(json) ? json : [json];
  if (list.length === 0) throw new ZkcError("INPUT", "the calibration file holds no samples", { file });
  return list.map((x, i) => {
    try {
      return parseInputs(x, inputs, file);
    } catch (e) {
      if (e instanceof ZkcError && list.length > 1) throw new ZkcError(e.code, `sample ${i}: ${e.reason}`, e.details);
      throw e;
    }
  });
}
