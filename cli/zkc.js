#!/usr/bin/env node
// Entry point of the `zkc` command. It runs the compiled JavaScript in dist/ (`npm run build`,
// done by `prepare` on install and by `prepack`), which starts in a fraction of the time tsx needs
// to compile the TypeScript sources at every start.
//
// In a development checkout (the sources sit next to this file; the package ships only dist/) it
// runs the sources through tsx instead when dist/ is missing or older than any source file, so an
// edit is never hidden by a stale build and tests of the command always run the current code.
import { existsSync, readdirSync, statSync } from "node:fs";

const dist = new URL("../dist/cli/main.js", import.meta.url);
const sources = new URL("./main.ts", import.meta.url);

/** True when some .ts file of the code dist/ is built from changed after dist/cli/main.js. */
function distIsStale() {
  let built;
  try {
    built = statSync(dist).mtimeMs;
  } catch {
    return true;
  }
  // the folders tsconfig.build.json compiles; a few hundred stat calls, a few milliseconds
  for (const dir of ["lib", "cli", "compiler", "runtime", "backends"]) {
    const root = new URL(`../${dir}/`, import.meta.url);
    if (!existsSync(root)) continue;
    for (const rel of readdirSync(root, { recursive: true })) {
      if (rel.endsWith(".ts") && statSync(new URL(rel, root)).mtimeMs > built) return true;
    }
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
