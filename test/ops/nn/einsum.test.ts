/** Einsum against onnxruntime for matmul-like, attention, ellipsis-broadcast, diagonal and implicit forms. */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { Einsum_12 } from "../../../compiler/ops/einsum.js";
import { againstOrt, closeness, ctxFor, randomTensor, rng } from "./helpers.js";

const CASES: { eq: string; shapes: number[][] }[] = [
  { eq: "ij,jk->ik", shapes: [[3, 4], [4, 5]] },
  { eq: "bij,bjk->bik", shapes: [[2, 3, 4], [2, 4, 5]] },
  { eq: "bhqd,bhkd->bhqk", shapes: [[1, 2, 3, 4], [1, 2, 5, 4]] },
  { eq: "...ij,...jk->...ik", shapes: [[2, 1, 3, 4], [1, 5, 4, 2]] },
  { eq: "ij,jk", shapes: [[3, 4], [4, 2]] },
  { eq: "ji", shapes: [[3, 4]] },
  { eq: "ii->i", shapes: [[4, 4]] },
  { eq: "ij->", shapes: [[3, 4]] },
  { eq: "i,j->ij", shapes: [[3], [4]] },
  { eq: "bn,anm,bm->ba", shapes: [[2, 3], [4, 3, 5], [2, 5]] },
];

describe("Einsum against onnxruntime", () => {
  CASES.forEach((c, i) => {
    it(`"${c.eq}" on ${c.shapes.map((s) => `[${s}]`).join(", ")}`, async () => {
      const next = rng(600 + i);
      const inputs = c.shapes.map((s, k) => ({ name: `x${k}`, value: randomTensor(next, s) }));
      const r = await againstOrt({ op: "Einsum", opset: 12, inputs, outputs: ["y"], attrs: { equation: c.eq } });
      expect(r[0]!.zkc.shape).toEqual(r[0]!.ort.shape);
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  });
});

describe("Einsum by hand and errors", () => {
  it("trace of a matrix", () => {
    const [y] = Einsum_12.run([tensorOf("float32", [2, 2], [1, 2, 3, 4])], ctxFor("Einsum", { equation: "ii->" }));
    expect(y!.shape).toEqual([]);
    expect([...y!.data]).toEqual([5]);
  });
  it("rejects a wrong number of terms (ATTRIBUTE) and disagreeing label sizes (SHAPE)", () => {
    const info = (shape: number[]) => ({ dtype: "float32" as const, shape });
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as ZkcError).code;
      }
      return "no error";
    };
    expect(codeOf(() => Einsum_12.infer([info([3, 4])], ctxFor("Einsum", { equation: "ij,jk->ik" })))).toBe("ATTRIBUTE");
    expect(codeOf(() => Einsum_12.infer([info([3, 4]), info([5, 2])], ctxFor("Einsum", { equation: "ij,jk->ik" })))).toBe("SHAPE");
    expect(codeOf(() => Einsum_12.infer([info([3, 4])], ctxFor("Einsum", { equation: "ijk->i" })))).toBe("SHAPE");
    expect(codeOf(() => Einsum_12.infer([info([3, 4])], ctxFor("Einsum", { equation: "ij->iz" })))).toBe("ATTRIBUTE");
    expect(codeOf(() => Einsum_12.infer([info([3, 4])], ctxFor("Einsum", { equation: "ij->ij" })))).toBe("no error");
  });
});
