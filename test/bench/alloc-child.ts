/**
 * A child for test/bench/harness.test.ts: touches `mb` megabytes (so they count in the resident
 * set), holds them for `holdMs`, then prints a benchmark result line — or, with `fail`, exits 1.
 */
import { RESULT_PREFIX } from "../../bench/proc.js";

const [mb, holdMs, mode] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
const buf = Buffer.alloc(mb * 2 ** 20, 1);
await new Promise((r) => setTimeout(r, holdMs));
if (mode === "fail") {
  process.stderr.write("deliberate failure for the test\n");
  process.exit(1);
}
process.stdout.write(`noise line\n${RESULT_PREFIX}${JSON.stringify({ sum: buf[0]! + buf[buf.length - 1]!, maxRssKb: process.resourceUsage().maxRSS })}\n`);
