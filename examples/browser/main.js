// zkc's verifier in a browser page: fetch a compiled model's verifier files and a proof, verify.
// Bundled by build.mjs from the package by its name ("zkc/verifier", browser-safe: no Node
// imports). Serve this folder and an artifacts folder (`zkc compile ... --dir zkc-out`, then
// `zkc prove --dir zkc-out ...`) from the same origin.
import { verify } from "zkc/verifier";

/** Verifies `<base>/proof.bin` against the compiled model at `<base>`; resolves to the result. */
export async function verifyAt(base) {
  const get = async (name) => {
    const r = await fetch(`${base}/${name}`);
    if (!r.ok) throw new Error(`${base}/${name}: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  };
  const manifest = JSON.parse(new TextDecoder().decode(await get("manifest.json")));
  return verify(manifest, await get("proof.bin"), get);
}

if (typeof document !== "undefined") {
  const out = document.getElementById("result");
  verifyAt(new URLSearchParams(location.search).get("artifacts") ?? "zkc-out").then(
    (r) => (out.textContent = r.ok ? `verified: ${r.outputs.map((o) => `${o.onnxName} = [${(o.floats ?? []).map((v) => v.toFixed(3)).join(", ")}]`).join("; ")}` : `not verified: ${r.reason}`),
    (e) => (out.textContent = `error: ${e.message}`),
  );
}
