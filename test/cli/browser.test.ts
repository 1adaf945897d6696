/**
 * The exported verifier and the inspect page in a real browser: Debian's Chromium driven by
 * playwright-core (installed by .ci/run; skipped where no chromium is on the PATH).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, zkc } from "./helpers.js";

function chromiumPath(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const CHROMIUM = chromiumPath();

let work: string;
let server: Server;
let base: string;

beforeAll(async () => {
  if (!CHROMIUM) return;
  work = mkdtempSync(join(tmpdir(), "zkc-browser-"));
  const input = join(FIXTURES, "mlp.input.json");
  for (const args of [
    ["compile", join(FIXTURES, "mlp.onnx"), "--calibrate", input, "--dir", "out"],
    ["prove", "--input", input, "--dir", "out", "--json"],
    ["prove", "--input", input, "--dir", "out"],
    ["export-verifier", "--dir", "out", "--out", "ver"],
    ["inspect", "--dir", "out", "--html", "plan.html"],
  ]) {
    const r = await zkc(args, work);
    expect(r.code, r.stderr).toBe(0);
  }
  const proof = JSON.parse(readFileSync(join(work, "out", "proof.json"), "utf8"));
  const bad = structuredClone(proof);
  bad.outputs[0].integers[0] += 1;
  bad.outputs[0].floats[0] = bad.outputs[0].integers[0] / 2 ** bad.outputs[0].scale;
  writeFileSync(join(work, "good.json"), JSON.stringify(proof));
  writeFileSync(join(work, "bad.json"), JSON.stringify(bad));
  writeFileSync(
    join(work, "index.html"),
    `<!doctype html><html><body><script type="module">
import { verify } from "./ver/verifier.js";
const get = (f) => fetch(f).then((r) => r.text());
const good = await verify(await get("good.json"));
const bad = await verify(await get("bad.json"));
const bin = await verify(await fetch("out/proof.bin").then((r) => r.arrayBuffer()));
window.result = { good: good.ok, floats: good.ok ? good.outputs[0].floats : null, bad: bad.ok, reason: bad.reason, bin: bin.ok };
</script></body></html>`,
  );
  server = createServer((req, res) => {
    const path = normalize(join(work, decodeURIComponent(req.url ?? "/")));
    try {
      if (!path.startsWith(work)) throw new Error("outside");
      const body = readFileSync(path);
      const type = path.endsWith(".js") ? "text/javascript" : path.endsWith(".html") ? "text/html" : "application/json";
      res.writeHead(200, { "content-type": type });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});

afterAll(async () => {
  if (!CHROMIUM) return;
  await new Promise((r) => server.close(r));
  rmSync(work, { recursive: true, force: true });
});

async function withPage<T>(f: (page: import("playwright-core").Page) => Promise<T>): Promise<T> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM!,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    return await f(await browser.newPage());
  } finally {
    await browser.close();
  }
}

describe.skipIf(!CHROMIUM)("in Chromium", () => {
  it("the exported verifier accepts the proof (JSON and proof.bin) and rejects a tampered one", async () => {
    const result = await withPage(async (page) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${base}/index.html`);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined || false, null, { timeout: 60_000 });
      expect(errors).toEqual([]);
      return page.evaluate(() => (window as unknown as { result: { good: boolean; floats: number[]; bad: boolean; reason: string; bin: boolean } }).result);
    });
    expect(result.good).toBe(true);
    expect(result.bin).toBe(true); // proof.bin fetched as an ArrayBuffer
    expect(result.floats).toHaveLength(10);
    expect(result.bad).toBe(false);
    expect(result.reason).toMatch(/output/);
  });

  it("the inspect page draws every kernel and the plan table", async () => {
    const seen = await withPage(async (page) => {
      await page.goto(`${base}/plan.html`);
      return {
        nodes: await page.locator("svg#graph g.node").count(),
        rows: await page.locator("table#plan tbody tr").count(),
        title: await page.title(),
        box: await page.locator("svg#graph").boundingBox(),
        boxes: await page.locator("svg#graph g.node rect").evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number })),
      };
    });
    const plan = JSON.parse(readFileSync(join(work, "out", "plan.json"), "utf8")) as unknown[];
    expect(seen.nodes).toBe(plan.length + 2); // kernels plus inputs and outputs
    expect(seen.rows).toBe(plan.length);
    expect(seen.title).toMatch(/mlp\.onnx/);
    // laid out top to bottom: the boxes are drawn at full size, one rank below another, none overlapping
    expect(seen.box!.width).toBeGreaterThanOrEqual(190);
    expect(seen.box!.height).toBeGreaterThan(seen.nodes * 64);
    const b = seen.boxes;
    expect(b.length).toBe(seen.nodes);
    for (let i = 0; i < b.length; i++) {
      for (let j = i + 1; j < b.length; j++) {
        const apart = b[i]!.x + b[i]!.width <= b[j]!.x || b[j]!.x + b[j]!.width <= b[i]!.x || b[i]!.y + b[i]!.height <= b[j]!.y || b[j]!.y + b[j]!.height <= b[i]!.y;
        expect(apart, JSON.stringify([b[i], b[j]])).toBe(true);
      }
    }
  });
});
