/** The shared window geometry: output sizes, resolved pads and the index map later lowering relies on. */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { convGeometry, paddedWindowCounts, readWindowAttrs, windowIndexMap, windowInputs } from "../../../compiler/ops/util/conv-geometry.js";
import { ctxFor } from "./helpers.js";

function geom(inShape: number[], attrs: Record<string, number | number[] | string>) {
  const ctx = ctxFor("MaxPool", attrs);
  return convGeometry(ctx, inShape, readWindowAttrs(ctx, inShape.length));
}

describe("conv geometry", () => {
  it("lists the input positions a window reads, -1 for padding", () => {
    // 4x4 input, 2x2 kernel, stride 2, pad 1: 3x3 outputs
    const g = geom([4, 4], { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] });
    expect(g.outShape).toEqual([3, 3]);
    // output (0,0) reads rows -1..0, cols -1..0: only input (0,0) is real
    expect([...windowInputs(g, [0, 0])]).toEqual([-1, -1, -1, 0]);
    // output (1,2) reads rows 1..2, cols 3..4: (1,3)=7, (1,4) pad, (2,3)=11, (2,4) pad
    expect([...windowInputs(g, [1, 2])]).toEqual([7, -1, 11, -1]);
    expect(() => windowInputs(g, [3, 0])).toThrow(RangeError);
  });

  it("the full map agrees with per-position windows and with the definition", () => {
    const g = geom([5, 7], { kernel_shape: [2, 3], strides: [2, 1], dilations: [2, 2], pads: [1, 2, 0, 1] });
    const map = windowIndexMap(g);
    const [oh, ow] = g.outShape as [number, number];
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const w = windowInputs(g, [i, j]);
        expect([...map.subarray((i * ow + j) * 6, (i * ow + j + 1) * 6)]).toEqual([...w]);
        // definition: x = o * stride - pad_begin + k * dilation on each axis
        let k = 0;
        for (let a = 0; a < 2; a++) {
          for (let b = 0; b < 3; b++) {
            const r = i * 2 - 1 + a * 2;
            const c = j - 2 + b * 2;
            expect(w[k++]).toBe(r >= 0 && r < 5 && c >= 0 && c < 7 ? r * 7 + c : -1);
          }
        }
      }
    }
  });

  it("resolves SAME_UPPER / SAME_LOWER pads with the odd pad at the end / start", () => {
    const up = geom([10, 8], { kernel_shape: [3, 3], strides: [2, 1], dilations: [2, 2], auto_pad: "SAME_UPPER" });
    expect(up.outShape).toEqual([5, 8]);
    expect([up.padsBegin, up.padsEnd]).toEqual([[1, 2], [2, 2]]);
    const low = geom([10, 8], { kernel_shape: [3, 3], strides: [2, 1], dilations: [2, 2], auto_pad: "SAME_LOWER" });
    expect([low.padsBegin, low.padsEnd]).toEqual([[2, 2], [1, 2]]);
  });

  it("clamps a negative SAME pad (stride larger than the kernel) to 0", () => {
    const g = geom([8], { kernel_shape: [1], strides: [3], auto_pad: "SAME_UPPER" });
    expect(g.outShape).toEqual([3]);
    expect([g.padsBegin, g.padsEnd]).toEqual([[0], [0]]);
    expect([...windowIndexMap(g)]).toEqual([0, 3, 6]);
  });

  it("ceil mode adds a window only if it starts inside the input or the begin padding", () => {
    // in 5, k 2, s 2, no pads: floor -> 2, ceil -> 3 (last window starts at 4, inside)
    expect(geom([5], { kernel_shape: [2], strides: [2] }).outShape).toEqual([2]);
    expect(geom([5], { kernel_shape: [2], strides: [2], ceil_mode: 1 }).outShape).toEqual([3]);
    // in 4, k 2, s 2, pad end 1: ceil would give 3 but the third window starts at 4, in the end pad
    expect(geom([4], { kernel_shape: [2], strides: [2], pads: [0, 1], ceil_mode: 1 }).outShape).toEqual([2]);
  });

  it("VALID pads nothing", () => {
    const g = geom([9, 7], { kernel_shape: [3, 2], strides: [2, 3], auto_pad: "VALID" });
    expect(g.outShape).toEqual([4, 2]);
    expect([g.padsBegin, g.padsEnd]).toEqual([[0, 0], [0, 0]]);
  });

  it("counts taps inside the explicitly padded input, never the ceil-mode overhang", () => {
    // in 5, k 3, s 2, pads 1/0, ceil: windows start at -1, 1, 3; the last reads 3, 4, 5 (5 is overhang)
    const g = geom([5], { kernel_shape: [3], strides: [2], pads: [1, 0], ceil_mode: 1 });
    expect(g.outShape).toEqual([3]);
    expect([...paddedWindowCounts(g)]).toEqual([3, 3, 2]);
  });

  it("rejects a window larger than the padded input with SHAPE", () => {
    expect(() => geom([2, 2], { kernel_shape: [2, 3] })).toThrow(ZkcError);
    try {
      geom([2, 2], { kernel_shape: [2, 3] });
    } catch (e) {
      expect((e as ZkcError).code).toBe("SHAPE");
    }
  });
});
