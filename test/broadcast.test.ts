import { describe, expect, it } from "vitest";
import { broadcastIndex, broadcastShapes } from "../compiler/ops/util/broadcast.js";

describe("broadcasting (numpy rules)", () => {
  it("computes broadcast shapes", () => {
    expect(broadcastShapes([2, 3, 4], [4])).toEqual([2, 3, 4]);
    expect(broadcastShapes([2, 1, 4], [3, 1])).toEqual([2, 3, 4]);
    expect(broadcastShapes([], [5])).toEqual([5]);
    expect(broadcastShapes([2, 3], [4])).toBeNull();
  });
  it("maps output indices to input indices", () => {
    // [2,1] broadcast to [2,3]: rows repeat
    expect([...broadcastIndex([2, 1], [2, 3])]).toEqual([0, 0, 0, 1, 1, 1]);
    // [3] broadcast to [2,3]: columns repeat
    expect([...broadcastIndex([3], [2, 3])]).toEqual([0, 1, 2, 0, 1, 2]);
    expect([...broadcastIndex([], [2, 2])]).toEqual([0, 0, 0, 0]);
  });
});
