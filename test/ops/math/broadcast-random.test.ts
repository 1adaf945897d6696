/**
 * Broadcasting binary and variadic ops on seeded random shape pairs and dtypes, against
 * onnxruntime-node: shapes are drawn so that each dim is equal, 1 on one side, or missing (rank
 * difference), which exercises every branch of numpy broadcasting. Each incompatible pair drawn
 * on purpose must be rejected with SHAPE.
 */
import { describe, expect, it } from "vitest";
import { type DType, type Tensor, sizeOf, tensorOf } from "../../../compiler/ir/tensor.js";
import { buildModel, node } from "../../../compiler/onnx/build.js";
import { loadModelBytes } from "../../../compiler/onnx/load.js";
import { compare } from "./conformance.js";
import { runBoth, seededValues } from "./ort-oracle.js";

/** A deterministic stream of integers in [0, n). */
function dice(seed: number): (n: number) => number {
  const vals = seededValues(seed, 10_000, 0, 1);
  let i = 0;
  return (n) => Math.floor(vals[i++ % vals.length]! * n);
}

/** Two broadcast-compatible shapes. */
function shapePair(roll: (n: number) => number): [number[], number[]] {
  const rank = 1 + roll(4);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = 2 + roll(3);
    const kind = roll(3);
    a.push(kind === 1 ? 1 : d);
    b.push(kind === 2 ? 1 : d);
  }
  // drop some leading dims of one side (rank difference)
  const drop = roll(rank);
  return roll(2) === 0 ? [a.slice(drop), b] : [a, b.slice(drop)];
}

function values(dtype: DType, shape: number[], seed: number, positive = false): Tensor {
  const n = sizeOf(shape);
  const raw = seededValues(seed, n, positive ? 1 : -9, 9);
  return tensorOf(dtype, shape, dtype.startsWith("float") ? raw : raw.map((v) => Math.round(v)));
}

const OPS: { op: string; dtypes: DType[]; out?: DType; positive?: boolean }[] = [
  { op: "Add", dtypes: ["float32", "int32", "int64"] },
  { op: "Sub", dtypes: ["float32", "int32"] },
  { op: "Mul", dtypes: ["float32", "int64"] },
  { op: "Div", dtypes: ["float32", "int32"], positive: true },
  { op: "Pow", dtypes: ["float32"], positive: true },
  { op: "Max", dtypes: ["float32", "int32"] },
  { op: "Min", dtypes: ["float32", "int64"] },
  { op: "Sum", dtypes: ["float32"] },
  { op: "Mean", dtypes: ["float32"] },
  { op: "Equal", dtypes: ["int32"], out: "bool" },
  { op: "Less", dtypes: ["float32"], out: "bool" },
  { op: "GreaterOrEqual", dtypes: ["int64"], out: "bool" },
  { op: "PRelu", dtypes: ["float32"] },
];

describe("random broadcasting against onnxruntime (seeded)", () => {
  const roll = dice(2024);
  for (const { op, dtypes, out, positive } of OPS) {
    for (const dtype of dtypes) {
      const [sa, sb0] = shapePair(roll);
      // PRelu broadcasts the slope to X only: make the slope's shape fit X's
      const sb = op === "PRelu" ? sa.slice(roll(sa.length)).map((d) => (roll(2) ? d : 1)) : sb0;
      it(`${op} ${dtype} [${sa}] with [${sb}]`, async () => {
        const a = values(dtype, sa, 100 + sa.length);
        const b = values(dtype, sb, 200 + sb.length, positive);
        const spec = {
          opset: 17,
          inputs: [
            { name: "a", dtype, shape: sa },
            { name: "b", dtype, shape: sb },
          ],
          outputs: [{ name: "y", dtype: out ?? dtype }],
          nodes: [node(op, ["a", "b"], ["y"])],
        };
        const { ort, zkc } = await runBoth(spec, { a, b });
        expect(compare(ort, zkc, 1e-5, 1e-6)).toBeNull();
      });
    }
  }
  it("incompatible shapes drawn the same way are rejected with SHAPE", () => {
    for (let k = 0; k < 10; k++) {
      const [sa0, sb] = shapePair(roll);
      const sa = sa0.map((d, i) => (i === sa0.length - 1 && d === 1 ? 3 : d));
      const bad = [...sb];
      bad[bad.length - 1] = sa[sa.length - 1]! + 1; // neither equal nor 1
      const spec = {
        opset: 17,
        inputs: [
          { name: "a", shape: sa },
          { name: "b", shape: bad },
        ],
        outputs: [{ name: "y" }],
        nodes: [node("Add", ["a", "b"], ["y"])],
      };
      expect(() => loadModelBytes(buildModel(spec), "m.onnx")).toThrow(expect.objectContaining({ code: "SHAPE" }));
    }
  });
});
