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

/** Deepest array nesting accepted in an input file (real tensors have a handful of axes). */
export const MAX_INPUT_DEPTH = 64;

/**
 * Flattens a nested array of numbers row-major. Iterative with an explicit stack, so a hostile
 * nesting depth cannot overflow the call stack; deeper than MAX_INPUT_DEPTH is refused.
 */
function flatten(v: unknown, out: number[], file: string, name: string): void {
  const stack: { items: unknown[]; next: number }[] = [];
  let current: unknown = v === undefined ? null : v;
  for (;;) {
    if (current !== undefined) {
      if (Array.isArray(current)) {
        if (stack.length >= MAX_INPUT_DEPTH) {
          throw new ZkcError("INPUT", `input "${name}" is nested more than ${MAX_INPUT_DEPTH} arrays deep`, {
            file,
            hint: "pass the tensor as a flat list or nested as its shape, e.g. [[1, 2], [3, 4]]",
          });
        }
        stack.push({ items: current, next: 0 });
      } else if (typeof current !== "number") {
        throw new ZkcError("INPUT", `input "${name}" holds ${JSON.stringify(current)?.slice(0, 40)}, not a number`, {
          file,
          hint: "inputs are (nested) arrays of numbers",
        });
      } else if (!Number.isFinite(current)) {
        throw new ZkcError("INPUT", `input "${name}" holds a non-finite number`, { file });
      } else {
        out.push(current);
      }
    }
    const top = stack.at(-1);
    if (!top) return;
    if (top.next < top.items.length) {
      current = top.items[top.next++];
      // a hole or undefined inside an array is not a number: report it as such
      if (current === undefined) current = null;
    } else {
      stack.pop();
      current = undefined;
    }
  }
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
