/** Plain-text tables for the terminal. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) => r.map((x, c) => x.padEnd(widths[c]!)).join("  ").trimEnd();
  return [line(cells[0]!), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}

/** The first ten values of a vector, 4 significant digits, for one line of output. */
export function preview(values: readonly number[]): string {
  return `[${values.slice(0, 10).map((v) => Number(v.toPrecision(4))).join(", ")}${values.length > 10 ? ", ..." : ""}]`;
}

/** A number in a short human form (3 significant digits). */
export function short(x: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(3)).toString();
}
