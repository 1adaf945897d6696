// Bundles main.js (and zkc/verifier) for browsers into bundle.js with esbuild, which zkc installs.
import { build } from "esbuild";

const result = await build({
  entryPoints: [new URL("./main.js", import.meta.url).pathname],
  outfile: new URL("./bundle.js", import.meta.url).pathname,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  metafile: true,
  logLevel: "warning",
});
const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
console.log(`bundle.js: ${(bytes / 1024).toFixed(0)} KiB`);
