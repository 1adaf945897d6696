/**
 * Terminal tables: a table that fits keeps its natural column widths; a plan of many kernels
 * with long ops lists is fitted to the width by wrapping cells, with no line over the width and
 * no text lost.
 */
import { describe, expect, it } from "vitest";
import { table, terminalWidth, wrapText } from "../../cli/table.js";

/** Plan rows like `zkc compile` prints for a deep model: long ops lists, a few long reasons. */
function manyKernelPlan(kernels: number): string[][] {
  const ops = ["conv", "batchnorm", "relu", "add", "maxpool", "matmul", "channel-shuffle", "requantise"];
  return Array.from({ length: kernels }, (_, k) => [
    `k${k}`,
    Array.from({ length: 6 + (k % 30) }, (_, j) => `${ops[(k + j) % ops.length]}${j % 3 === 0 ? `×${j + 2}` : ""}`).join(", "),
    `[1×${24 + k}×28×28] -> [1×${24 + k}×14×14]`,
    k % 3 === 0 ? "groth16" : "gkr",
    `${(0.1 * (k + 1)).toFixed(2)} s`,
    `${k * 3 + 10} MiB`,
    k % 7 === 0 ? "a long explanation of why this kernel went to this backend, longer than any column" : "cheaper",
  ]);
}
const HEADERS = ["kernel", "ops", "shapes", "backend", "est. prove", "est. memory", "reason"];
const words = (s: string) => s.split(/\s+/).filter(Boolean).join(" ");

describe("table", () => {
  it("prints a table that fits with natural column widths and a rule under the header", () => {
    expect(table(["kernel", "backend"], [["k0", "gkr"], ["k10", "groth16"]], 100)).toBe(
      ["kernel  backend", "------  -------", "k0      gkr", "k10     groth16"].join("\n"),
    );
  });

  for (const width of [100, 80, 60]) {
    it(`fits a 50-kernel plan into ${width} columns, wrapping cells and losing no text`, () => {
      const rows = manyKernelPlan(50);
      const natural = table(HEADERS, rows, 10_000);
      expect(Math.max(...natural.split("\n").map((l) => l.length))).toBeGreaterThan(200);
      const out = table(HEADERS, rows, width);
      const lines = out.split("\n");
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
      // the short columns keep their natural width: the kernel names start every row at column 0
      // and backend cells are never broken
      const rowStarts = lines.map((l, i) => [l, i] as const).filter(([l]) => /^k\d+ /.test(l));
      expect(rowStarts.length).toBe(50);
      expect(out).not.toMatch(/grot\n|gk\n/);
      // every cell's text is there, in order: the column slices of a row's lines, read downwards
      const starts = [0];
      const rule = lines.find((l) => /^-+( +-+)*$/.test(l))!;
      for (let i = 1; i < rule.length; i++) if (rule[i] === "-" && rule[i - 1] === " ") starts.push(i);
      expect(starts.length).toBe(HEADERS.length);
      rowStarts.forEach(([, first], r) => {
        const end = r + 1 < rowStarts.length ? rowStarts[r + 1]![1] : lines.length;
        const block = lines.slice(first, end);
        HEADERS.forEach((_, c) => {
          const text = block.map((l) => l.slice(starts[c], c + 1 < starts.length ? starts[c + 1] : undefined)).join(" ");
          expect(words(text).replace(/ /g, "")).toBe(rows[r]![c]!.replace(/ /g, ""));
        });
      });
    });
  }

  it("breaks inside a word only when the word is wider than its column", () => {
    expect(wrapText("matmul×3, add, relu", 9)).toEqual(["matmul×3,", "add, relu"]);
    expect(wrapText("averagepool_with_a_long_name", 10)).toEqual(["averagepoo", "l_with_a_l", "ong_name"]);
    expect(wrapText("fits as is", 10)).toEqual(["fits as is"]);
  });

  it("uses the terminal's width, or 100 columns when output is not a terminal", () => {
    const stdout = process.stdout as { isTTY?: boolean; columns?: number };
    const saved = { isTTY: stdout.isTTY, columns: stdout.columns };
    try {
      Object.assign(stdout, { isTTY: false, columns: 0 });
      expect(terminalWidth()).toBe(100);
      Object.assign(stdout, { isTTY: true, columns: 132 });
      expect(terminalWidth()).toBe(132);
    } finally {
      Object.assign(stdout, saved);
    }
  });
});
