#!/usr/bin/env node
// Entry point of the `zkc` command. It runs the compiled JavaScript in dist/ (`npm run build`, run
// by `prepack` before npm pack/publish), which starts in a
// fraction of the time tsx needs to compile the TypeScript sources at every start.
//
// In a development checkout (the sources sit next to this file; the package ships only dist/) it
// runs the sources through tsx instead when dist/ is missing or older than a source, so an edit is
// never hidden by a stale build and tests of the command always run the current code.
import { existsSync, readdirSync, statSync } from "node:fs";

const dist = new URL("../dist/cli/main.js", import.meta.url);
const sources = new URL("./main.ts", import.meta.url);

/**
 * True when dist/ is missing or a compiled module is older than its source. Walking dist/ (not a
 * list of source folders) covers any folder the build reaches; a new source file only matters
 * once an existing one imports it, and that edit makes the importer newer than its output.
 * A few hundred stat calls: a few milliseconds.
 */
function distIsStale() {
  const root = new URL("../dist/", import.meta.url);
  if (!existsSync(dist)) return true;
  for (const rel of readdirSync(root, { recursive: true })) {
    if (!rel.endsWith(".js")) continue;
    const source = new URL(`../${rel.replace(/\\/g, "/").replace(/\.js$/, ".ts")}`, import.meta.url);
    let changed;
    try {
      changed = statSync(source).mtimeMs;
    } catch {
      continue; // compiled from a file since deleted or renamed: harmless unless imported, and then its importer changed
    }
    if (changed > statSync(new URL(rel.replace(/\\/g, "/"), root)).mtimeMs) return true;
  }
  return false;
}

let main;
if (!existsSync(sources) || !distIsStale()) {
  ({ main } = await import(dist.href));
} else {
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    console.error("zkc: error: dist/ is missing or out of date and tsx is not installed: run `npm run build`");
    process.exit(3);
  }
  register();
  ({ main } = await import(sources.href));
}
process.exitCode = await main(process.argv.slice(2));
