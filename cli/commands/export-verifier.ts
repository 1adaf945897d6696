/**
 * `zkc export-verifier`: one self-contained ES module with the manifest and the verifier's side
 * files embedded, exporting `verify(proof)`; it runs in browsers and in Node (no Node-only
 * imports). Plus a Solidity verifier per Groth16 kernel.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { CommandModule } from "yargs";
import { ZkcError } from "../../compiler/errors.js";
import { defaultBackends } from "../../backends/registry.js";
import type { Manifest } from "../../runtime/manifest.js";
import { loadLinkedModel } from "../../runtime/link/model.js";
import { insecureSetupReason } from "../../runtime/trust.js";
import { verifierFileNames } from "../../toolchain/api.js";
import { writeDirAtomic } from "../artifacts.js";
import { openArtifacts } from "../artifacts-read.js";

interface Args {
  dir: string;
  out: string;
}

/** Side files the verifier reads: program, weights, the backends' verifier files (never proving keys). */
export const verifierFiles = verifierFileNames;

const USAGE = `# zkc verifier

\`verifier.js\` is a self-contained ES module (the compiled model's manifest, integer program,
weights and verification keys embedded). It runs in browsers and in Node.

\`\`\`js
import { verify, manifest } from "./verifier.js";
const result = await verify(proofBytes); // proof.bin as a Uint8Array or ArrayBuffer,
                                         // or proof.json as text or the parsed object
if (result.ok) console.log(result.outputs); // [{ onnxName, shape, floats, integers }, ...]
else console.error(result.reason);
\`\`\`

\`verify\` never throws on a bad proof: it returns \`{ ok: false, reason }\`. A model compiled
with \`--insecure-dev-setup\` (forgeable keys) is refused unless you pass
\`verify(proof, { allowInsecureDevKeys: true })\`.
`;

/** Bundles the verifier for `manifest` with its side files into one ES module (minified). */
export async function bundleVerifier(manifest: Manifest, files: (name: string) => Promise<Uint8Array>): Promise<string> {
  const embedded: Record<string, string> = {};
  const model = await loadLinkedModel(manifest, files, defaultBackends);
  for (const name of verifierFiles(model)) embedded[name] = Buffer.from(await files(name)).toString("base64");
  // Bundle the verifier from what is running: the compiled dist/runtime/verify.js in an installed
  // package (its .ts sources are not shipped), runtime/verify.ts in a development checkout (tsx).
  const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const verifyModule = fileURLToPath(new URL(`../../runtime/verify.${ext}`, import.meta.url));
  const tmp = mkdtempSync(join(tmpdir(), "zkc-verifier-"));
  try {
    const entry = join(tmp, "entry.ts");
    writeFileSync(
      entry,
      `import { verify as verifyBundle } from ${JSON.stringify(verifyModule)};
export const manifest = ${JSON.stringify(manifest)};
const FILES: Record<string, string> = ${JSON.stringify(embedded)};
function decode(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
/**
 * Verify a zkc proof (proof.bin bytes, JSON text or parsed JSON) against the embedded model. Never throws on bad proofs.
 * A model built on the insecure seeded setup is refused unless opts.allowInsecureDevKeys.
 */
export function verify(proof: unknown, opts: { allowInsecureDevKeys?: boolean } = {}) {
  return verifyBundle(manifest, proof, async (name: string) => {
    const b = FILES[name];
    if (b === undefined) throw new Error("the verifier has no file " + name);
    return decode(b);
  }, { allowInsecureDevKeys: opts.allowInsecureDevKeys === true });
}
`,
    );
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      write: false,
      logLevel: "silent",
      legalComments: "none",
    });
    return result.outputFiles[0]!.text;
  } catch (e) {
    throw new ZkcError("INTERNAL", `bundling the verifier failed: ${(e as Error).message}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export const exportVerifierCommand: CommandModule<object, Args> = {
  command: "export-verifier",
  describe: "write a self-contained verifier (ES module; Solidity for Groth16 kernels) for apps",
  builder: (y) =>
    y
      .option("dir", { type: "string", default: "zkc-out", describe: "artifacts directory of zkc compile" })
      .option("out", { type: "string", demandOption: true, describe: "directory to write the verifier into" }) as never,
  handler: async (args) => {
    const art = openArtifacts(args.dir);
    const insecure = insecureSetupReason(art.manifest);
    if (insecure !== undefined) console.error(`warning: ${insecure}; the exported verifier refuses its proofs unless called with { allowInsecureDevKeys: true }`);
    const out = new Map<string, string>();
    out.set("verifier.js", await bundleVerifier(art.manifest, art.files));
    out.set(
      "verifier.d.ts",
      `export declare const manifest: unknown;
export interface VerifiedOutput { name: string; onnxName: string; shape: number[]; visibility: "public" | "hashed"; integers?: number[]; floats?: number[]; hash?: string }
export declare function verify(proof: unknown, opts?: { allowInsecureDevKeys?: boolean }): Promise<{ ok: true; outputs: VerifiedOutput[] } | { ok: false; reason: string }>;
`,
    );
    out.set("README.md", USAGE);
    // extra verifiers the backends export (Solidity for Groth16 kernels)
    const model = await loadLinkedModel(art.manifest, art.files, defaultBackends);
    for (const k of model.kernels) {
      const extra = await defaultBackends.get(k.entry.backend).exportVerifiers?.(k.spec, k.artifacts, art.files);
      for (const [name, text] of extra ?? []) out.set(name, text);
    }
    writeDirAtomic(args.out, out);
    const sol = [...out.keys()].filter((n) => n.endsWith(".sol")).length;
    console.log(`wrote ${args.out}/verifier.js (${(out.get("verifier.js")!.length / 1024).toFixed(0)} KiB)${sol ? ` and ${sol} Solidity verifier(s)` : ""}`);
  },
};
