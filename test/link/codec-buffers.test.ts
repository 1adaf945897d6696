/**
 * The float64 and int32 side-data decoders copy exactly their bytes, also from a Node Buffer,
 * whose own slice() is a view into a larger (pooled) ArrayBuffer: a file or Redis read must decode
 * to the values that were encoded.
 */
import { describe, expect, it } from "vitest";
import { float64At, float64Bytes, int32Bytes, int32FromBytes } from "../../runtime/link/codec.js";

describe("side-data decoders on Buffers", () => {
  it("float64At and int32FromBytes give the encoded values from a Buffer inside a larger pool", () => {
    const f = Float64Array.from([1.5, -2, 3e10, 0]);
    const i = Int32Array.from([7, -1, 2 ** 30, 0, 5]);
    // a Buffer carved out of a larger ArrayBuffer at an offset, as Buffer pools and reads give
    const pool = new ArrayBuffer(4096);
    const fb = Buffer.from(pool, 24, f.length * 8);
    fb.set(float64Bytes(f));
    const ib = Buffer.from(pool, 1000, i.length * 4);
    ib.set(int32Bytes(i));
    expect(Array.from(float64At(fb, 0, f.length))).toEqual(Array.from(f));
    expect(Array.from(float64At(fb, 8, 2))).toEqual([-2, 3e10]);
    expect(Array.from(int32FromBytes(ib))).toEqual(Array.from(i));
  });
});
