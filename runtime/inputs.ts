/**
 * Reading model inputs from JSON, in the two forms users bring:
 * - EZKL style: `{"input_data": [[...], ...]}`, one flat row-major list per graph input, in
 *   graph-input order;
 * - by name: `{"<input name>": nested or flat array, ...}`.
 * A calibration file is one such object, or a JSON array of them; each object holds one sample,
 * or a batch of N when every input's list holds N times its size (stacked flat, or nested under a
 * leading batch dimension).
 */
import { ZkcError } from "../compiler/errors.js";
import type { DType } from "../compiler/ir/tensor.js";
import { isFloat, shapeToString, sizeOf } from "../compiler/ir/tensor.js";

export type InputValues = Record<string, Float64Array>;

/** Deepest array nesting accepted in an input file (real tensors have a handful of axes). */
export const MAX_INPUT_DEPTH = 64;

/** What parsing needs to know of a model input; `dtype` when known (compile time), else any JSON number or boolean is accepted. */
export interface InputInfo {
  name: string;
  shape: number[];
  dtype?: DType;
}

const INTEGER_DTYPES: ReadonlySet<DType> = new Set(["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"]);

/** One JSON leaf as a number: booleans are 1 and 0 (for bool and integer inputs); integer and bool inputs take whole numbers only. */
function leafValue(x: unknown, info: InputInfo, file: string): number {
  const { name, dtype } = info;
  if (typeof x === "boolean") {
    if (dtype !== undefined && isFloat(dtype)) {
      throw new ZkcError("INPUT", `input "${name}" holds ${x}, but it is a ${dtype} input`, { file, hint: "pass numbers for float inputs (true/false are for bool inputs)" });
    }
    return x ? 1 : 0;
  }
  if (typeof x !== "number") {
    throw new ZkcError("INPUT", `input "${name}" holds ${JSON.stringify(x)?.slice(0, 40)}, not a number`, {
      file,
      hint: "inputs are (nested) arrays of numbers (true/false for bool inputs)",
    });
  }
  if (!Number.isFinite(x)) throw new ZkcError("INPUT", `input "${name}" holds a non-finite number`, { file });
  if (dtype === "bool" && x !== 0 && x !== 1) {
    throw new ZkcError("INPUT", `input "${name}" is a bool input and holds ${x}`, { file, expected: "true, false, 1 or 0", got: String(x) });
  }
  if (dtype !== undefined && INTEGER_DTYPES.has(dtype) && !Number.isInteger(x)) {
    throw new ZkcError("INPUT", `input "${name}" is an ${dtype} input and holds ${x}, not a whole number`, { file, expected: "whole numbers", got: String(x) });
  }
  return x;
}

/**
 * Flattens a nested array of numbers row-major. Iterative with an explicit stack, so a hostile
 * nesting depth cannot overflow the call stack; deeper than MAX_INPUT_DEPTH is refused.
 */
function flatten(v: unknown, out: number[], file: string, info: InputInfo): void {
  const stack: { items: unknown[]; next: number }[] = [];
  let current: unknown = v === undefined ? null : v;
  for (;;) {
    if (current !== undefined) {
      if (Array.isArray(current)) {
        if (stack.length >= MAX_INPUT_DEPTH) {
          throw new ZkcError("INPUT", `input "${info.name}" is nested more than ${MAX_INPUT_DEPTH} arrays deep`, {
            file,
            hint: "pass the tensor as a flat list or nested as its shape, e.g. [[1, 2], [3, 4]]",
          });
        }
        stack.push({ items: current, next: 0 });
      } else {
        out.push(leafValue(current, info, file));
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

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const inputList = (inputs: readonly InputInfo[]) => (inputs.length ? inputs.map((i) => `${i.name} ${shapeToString(i.shape)}`).join(", ") : "none");

/** The lists of an `input_data` array, one per graph input (a model without inputs takes [] or [[]]). */
function inputDataRows(data: unknown, inputs: readonly InputInfo[], file: string): unknown[] {
  if (!Array.isArray(data)) {
    throw new ZkcError("INPUT", `"input_data" must be a list of lists, one per graph input`, { file, got: typeof data, hint: `the model's inputs: ${inputList(inputs)}` });
  }
  if (inputs.length === 0 && (data.length === 0 || (data.length === 1 && Array.isArray(data[0]) && data[0].length === 0))) return [];
  if (data.length !== inputs.length) {
    const flatNumbers = data.length > 0 && data.every((x) => typeof x === "number" || typeof x === "boolean");
    throw new ZkcError("INPUT", `"input_data" holds ${plural(data.length, "list")}, but the model has ${plural(inputs.length, "input")} (${inputList(inputs)})`, {
      file,
      expected: `${plural(inputs.length, "list")}, in graph-input order`,
      got: plural(data.length, flatNumbers ? "number" : "list"),
      hint: flatNumbers ? `wrap the values in a list per input: {"input_data": [[...]]}` : `give one flat list per input, in the order ${inputs.map((i) => i.name).join(", ") || "(none)"}`,
    });
  }
  return data;
}

/** Each input's values of one input object, flat row-major (lengths not checked yet). */
function parseFlat(json: unknown, inputs: readonly InputInfo[], file: string): number[][] {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ZkcError("INPUT", "the input file must hold a JSON object", {
      file,
      hint: `use {"input_data": [[...]]} (EZKL style) or {"${inputs[0]?.name ?? "input"}": [...]}`,
    });
  }
  const obj = json as Record<string, unknown>;
  const keys = Object.keys(obj);
  let rows: unknown[] = [];
  // a model input may itself be called "input_data": then the by-name form is meant
  if ("input_data" in obj && !inputs.some((i) => i.name === "input_data")) {
    const others = keys.filter((k) => k !== "input_data");
    if (others.length) {
      const named = others.filter((k) => inputs.some((i) => i.name === k));
      throw new ZkcError("INPUT", named.length ? `the input file uses both forms: "input_data" and the input name(s) ${named.map((k) => `"${k}"`).join(", ")}` : `the input file holds ${others.map((k) => `"${k}"`).join(", ")} beside "input_data"`, {
        file,
        hint: `give either {"input_data": [[...]]} (one list per input, in graph order) or the inputs by name (${inputList(inputs)}), not both`,
      });
    }
    rows = inputDataRows(obj.input_data, inputs, file);
  } else {
    const unknown = keys.filter((k) => !inputs.some((i) => i.name === k));
    if (unknown.length) {
      throw new ZkcError("INPUT", `the input file names ${unknown.map((k) => `"${k}"`).join(", ")}, which the model does not have`, {
        file,
        hint: `the model's inputs: ${inputList(inputs)}`,
      });
    }
    for (const i of inputs) {
      if (!(i.name in obj)) throw new ZkcError("INPUT", `the input file has no value for input "${i.name}"`, { file, expected: shapeToString(i.shape), hint: `the model's inputs: ${inputList(inputs)}` });
      rows.push(obj[i.name]);
    }
  }
  return inputs.map((info, k) => {
    const flat: number[] = [];
    flatten(rows[k], flat, file, info);
    return flat;
  });
}

/** Parses one input object against the graph's inputs; checks counts, names and lengths. */
export function parseInputs(json: unknown, inputs: readonly InputInfo[], file: string): InputValues {
  const flat = parseFlat(json, inputs, file);
  const out: InputValues = {};
  inputs.forEach((info, k) => {
    const n = sizeOf(info.shape);
    if (flat[k]!.length !== n) {
      throw new ZkcError("INPUT", `input "${info.name}" has ${flat[k]!.length} values`, {
        file,
        expected: `${n} (shape ${shapeToString(info.shape)})`,
        got: String(flat[k]!.length),
      });
    }
    out[info.name] = Float64Array.from(flat[k]!);
  });
  return out;
}

/**
 * The samples of one calibration object: one, or N when every input holds N times its size
 * (EZKL's batched form: N samples stacked in the flat list, or nested under a leading batch
 * dimension, which flattens to the same list).
 */
function parseBatch(json: unknown, inputs: readonly InputInfo[], file: string): InputValues[] {
  const flat = parseFlat(json, inputs, file);
  let count: number | undefined;
  let first = "";
  inputs.forEach((info, k) => {
    const n = sizeOf(info.shape);
    const len = flat[k]!.length;
    if (len === 0 || len % n !== 0) {
      throw new ZkcError("INPUT", `input "${info.name}" has ${len} values`, {
        file,
        expected: `${n} (shape ${shapeToString(info.shape)}) per sample, or a multiple of it for a batch of samples`,
        got: String(len),
      });
    }
    if (count === undefined) [count, first] = [len / n, info.name];
    else if (len / n !== count) {
      throw new ZkcError("INPUT", `input "${info.name}" holds ${plural(len / n, "sample")}, input "${first}" ${plural(count, "sample")}`, {
        file,
        hint: "a batched calibration object needs the same number of samples for every input",
      });
    }
  });
  return Array.from({ length: count ?? 1 }, (_, s) => {
    const out: InputValues = {};
    inputs.forEach((info, k) => {
      const n = sizeOf(info.shape);
      out[info.name] = Float64Array.from(flat[k]!.slice(s * n, (s + 1) * n));
    });
    return out;
  });
}

/**
 * Parses a calibration file: one input object or an array of them, each holding one sample or a
 * batch of them (see `parseBatch`).
 */
export function parseSamples(json: unknown, inputs: readonly InputInfo[], file: string): InputValues[] {
  const list = Array.isArray(json) ? json : [json];
  if (list.length === 0) throw new ZkcError("INPUT", "the calibration file holds no samples", { file });
  return list.flatMap((x, i) => {
    try {
      return parseBatch(x, inputs, file);
    } catch (e) {
      if (e instanceof ZkcError && list.length > 1) throw new ZkcError(e.code, `sample ${i}: ${e.reason}`, e.details);
      throw e;
    }
  });
}
