/**
 * Plain-text tables for the terminal, fitted to its width: a table that fits is printed with
 * each column as wide as its widest cell; one that does not has its widest columns narrowed
 * (the narrow ones keep their width) and their cells wrapped at spaces, or inside a word only
 * when the word alone is wider than its column. Nothing is cut off.
 */

/** Spaces between columns. */
const GAP = 2;

/** The width to fit: the terminal's columns, or 100 when standard output is not a terminal. */
export function terminalWidth(): number {
  return process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 100;
}

/**
 * Column widths that fit `available` characters (gaps excluded): every column is capped at the
 * largest cap that fits, so only the widest columns shrink. Columns never go below 1.
 */
function fitWidths(natural: number[], available: number): number[] {
  const total = (cap: number) => natural.reduce((s, w) => s + Math.min(w, cap), 0);
  if (total(Infinity) <= available) return natural;
  let lo = 1;
  let hi = Math.max(...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(mid) <= available) lo = mid;
    else hi = mid - 1;
  }
  const widths = natural.map((w) => Math.min(w, lo));
  // hand out what the cap left unused, widest wanting column first
  let spare = available - total(lo);
  for (let c = 0; spare > 0 && c < widths.length; c++) {
    const more = Math.min(spare, natural[c]! - widths[c]!);
    widths[c]! += more;
    spare -= more;
  }
  return widths;
}

/** `text` as lines of at most `width` characters, broken at spaces where it can be. */
export function wrapText(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/ +/)) {
    let rest = word;
    if (line !== "" && line.length + 1 + rest.length <= width) {
      line += " " + rest;
      continue;
    }
    if (line !== "") lines.push(line);
    while (rest.length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    line = rest;
  }
  lines.push(line);
  return lines;
}

/**
 * A table with a header and a rule under it, at most `width` characters a line (default: the
 * terminal's, see terminalWidth) unless even one character per column does not fit.
 */
export function table(headers: string[], rows: (string | number)[][], width = terminalWidth()): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const natural = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  const widths = fitWidths(natural, width - GAP * (headers.length - 1));
  const render = (r: string[]): string[] => {
    const wrapped = widths.map((w, c) => wrapText(r[c] ?? "", w));
    const height = Math.max(...wrapped.map((l) => l.length));
    return Array.from({ length: height }, (_, i) => wrapped.map((l, c) => (l[i] ?? "").padEnd(widths[c]!)).join(" ".repeat(GAP)).trimEnd());
  };
  return [...render(cells[0]!), widths.map((w) => "-".repeat(w)).join(" ".repeat(GAP)), ...cells.slice(1).flatMap(render)].join("\n");
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
