/** Loading a model and inputs for the commands: shapes from --input-shape, feeds from JSON. */
import { ZkcError } from "../compiler/errors.js";
import type { Graph } from "../compiler/ir/graph.js";
import { loadModelFile } from "../compiler/onnx/load.js";

/** Parses `--input-shape name=1,3,32,32` (repeatable) into loader options. */
export function parseInputShapes(specs: readonly string[] | undefined): Record<string, number[]> | undefined {
  if (!specs || specs.length === 0) return undefined;
  const out: Record<string, number[]> = {};
  for (const spec of specs) {
    const m = /^([^=]+)=(\d+(?:,\d+)*)$/.exec(spec.trim());
    if (!m) throw new ZkcError("USAGE", `--input-shape "${spec}" is not NAME=D1,D2,...`, { hint: "for example --input-shape input=1,3,32,32" });
    out[m[1]!] = m[2]!.split(",").map(Number);
  }
  return out;
}

export function loadModel(path: string, inputShapes?: readonly string[]): Graph {
  const shapes = parseInputShapes(inputShapes);
  return loadModelFile(path, shapes ? { inputShapes: shapes } : {});
}

/** Float feeds for the interpreters from parsed input values. */
export { toFeeds } from "../toolchain/api.js";
