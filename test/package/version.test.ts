/** `zkc --version` prints zkc's version, also when run inside another project (cwd's package.json). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { zkc } from "../cli/helpers.js";

const own = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
const work = mkdtempSync(join(tmpdir(), "zkc-version-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("zkc --version", () => {
  it("is zkc's own version, not the working directory's project's", async () => {
    writeFileSync(join(work, "package.json"), JSON.stringify({ name: "consumer", version: "9.9.9" }));
    const r = await zkc(["--version"], work);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(own);
    expect(own).not.toBe("9.9.9");
  });
});
