/**
 * Trust in a manifest's setup (browser-safe: no Node-only imports). Keys built on the public-seed
 * development ptau have a public trapdoor, so anyone can forge proofs against them; verifiers
 * refuse such manifests unless the caller explicitly allows it. Whom each setup trusts:
 * docs/trust.md.
 */
import type { Manifest } from "./manifest.js";

/**
 * Why this manifest's proofs cannot be trusted because of its setup, or undefined when its keys
 * do not come from the insecure seeded setup (or it has no Groth16 keys).
 */
export function insecureSetupReason(manifest: Pick<Manifest, "developmentPtau">): string | undefined {
  if (!manifest.developmentPtau) return undefined;
  return (
    "the Groth16 keys of this model come from the insecure development setup (public seed): anyone can forge proofs; " +
    "recompile without --insecure-dev-setup, or pass --allow-insecure-dev-keys to verify anyway"
  );
}
