/**
 * Seeded random argument sweeps against onnxruntime-node for the ops with the most edge cases in
 * their index arithmetic: Slice (starts/ends beyond both ends, INT64 extremes, any step sign),
 * Pad (negative pads in every mode), Split and Transpose+Reshape chains.
 */
import { describe, it } from "vitest";
import { tensorOf } from "../../compiler/ir/tensor.js";
import { node } from "../../compiler/onnx/build.js";
import { expectMatchesOrt, randomTensor, rng } from "./helpers.js";

const i64 = (values: number[]) => tensorOf("int64", [values.length], values);
const INT64_MAX = 2 ** 63;

describe("random argument sweeps vs onnxruntime", () => {
  it("Slice: 60 random slices of a [4, 5, 6] tensor", async () => {
    const r = rng(41);
    const x = randomTensor(r, "float32", [4, 5, 6]);
    const pick = (dim: number) => {
      const u = r();
      if (u < 0.08) return INT64_MAX;
      if (u < 0.16) return -INT64_MAX;
      return Math.floor(r() * (4 * dim + 1)) - 2 * dim; // well beyond both ends
    };
    for (let t = 0; t < 60; t++) {
      const axes = [0, 1, 2].filter(() => r() < 0.7);
      if (axes.length === 0) axes.push(Math.floor(r() * 3));
      const starts = axes.map((a) => pick(x.shape[a]!));
      const ends = axes.map((a) => pick(x.shape[a]!));
      const steps = axes.map(() => (r() < 0.5 ? -1 : 1) * (1 + Math.floor(r() * 3)));
      const negAxes = axes.map((a) => (r() < 0.3 ? a - 3 : a));
      await expectMatchesOrt(
        {
          opset: 13,
          inputs: [{ name: "x", shape: [4, 5, 6] }],
          outputs: [{ name: "y" }],
          initializers: { s: i64(starts), e: i64(ends), a: i64(negAxes), p: i64(steps) },
          nodes: [node("Slice", ["x", "s", "e", "a", "p"], ["y"])],
        },
        { x },
      );
    }
  });

  it("Pad: 40 random pads (negative included) in constant, reflect and edge modes", async () => {
    const r = rng(42);
    const x = randomTensor(r, "float32", [3, 4, 5]);
    for (let t = 0; t < 40; t++) {
      const mode = ["constant", "reflect", "edge"][t % 3]!;
      // onnxruntime wants reflect pads below the (cropped) dim, so reflect gets no crops; crops keep at least one element
      const crop = mode !== "reflect";
      const pads = [...x.shape, ...x.shape].map((d) => Math.floor(r() * d) - (crop && r() < 0.3 ? Math.floor(d / 3) : 0));
      await expectMatchesOrt(
        { opset: 13, inputs: [{ name: "x", shape: [3, 4, 5] }], outputs: [{ name: "y" }], initializers: { p: i64(pads) }, nodes: [node("Pad", ["x", "p"], ["y"], { mode })] },
        { x },
      );
    }
  });

  it("Split and Transpose -> Reshape chains on random shapes", async () => {
    const r = rng(43);
    for (let t = 0; t < 15; t++) {
      const shape = [1 + Math.floor(r() * 4), 1 + Math.floor(r() * 4), 1 + Math.floor(r() * 4)];
      const x = randomTensor(r, "float32", shape);
      const perm = [0, 1, 2].sort(() => r() - 0.5);
      const axis = Math.floor(r() * 3);
      const d = shape[perm[axis]!]!;
      const first = Math.floor(r() * (d + 1));
      await expectMatchesOrt(
        {
          opset: 13,
          inputs: [{ name: "x", shape }],
          outputs: [{ name: "a" }, { name: "b" }, { name: "f" }],
          initializers: { sp: i64([first, d - first]), flat: i64([-1]) },
          nodes: [
            node("Transpose", ["x"], ["t"], { perm }),
            node("Split", ["t", "sp"], ["a", "b"], { axis }),
            node("Reshape", ["t", "flat"], ["f"]),
          ],
        },
        { x },
      );
    }
  });
});

describe("Cast across dtype pairs vs onnxruntime", () => {
  // integer -> integer casts wrap (two's complement), float -> integer truncates toward zero for
  // in-range values, float64 -> float32/float16 round to nearest even; out-of-range float -> int is
  // undefined behaviour in onnxruntime, so values stay in range of every target here
  const INTS = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64"] as const;
  const CODES: Record<string, number> = { float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11, uint32: 12 };
  it("every integer pair, with values that wrap", async () => {
    const r = rng(44);
    for (const from of INTS) {
      const lo = from.startsWith("u") ? 0 : -70000;
      const x = randomTensor(r, from, [12], lo, 70000);
      for (const to of [...INTS, "bool", "float32", "float64"]) {
        await expectMatchesOrt({ opset: 13, inputs: [{ name: "x", dtype: from, shape: [12] }], outputs: [{ name: "y" }], nodes: [node("Cast", ["x"], ["y"], { to: CODES[to]! })] }, { x });
      }
    }
  });
  it("float64 to float32, float16 and in-range integers", async () => {
    const r = rng(45);
    const x = randomTensor(r, "float64", [40], -120, 120);
    // a few exact float16 ties and subnormals
    const ties = tensorOf("float64", [6], [1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 ** -25, 3 * 2 ** -25, 65519.99, -0.0001]);
    for (const input of [x, ties]) {
      for (const to of ["float32", "float16", "int8", "int16", "int32", "int64", "bool"]) {
        await expectMatchesOrt({ opset: 13, inputs: [{ name: "x", dtype: "float64", shape: [...input.shape] }], outputs: [{ name: "y" }], nodes: [node("Cast", ["x"], ["y"], { to: CODES[to]! })] }, { x: input });
      }
    }
  });
});
