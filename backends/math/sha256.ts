/**
 * SHA-256 (FIPS 180-4). `sha256` uses Node's crypto when the runtime offers it (looked up through
 * `process.getBuiltinModule`, so nothing Node-only is imported and the module loads in browsers),
 * else `sha256Pure`, which gives the same digests.
 *
 * `sha256Pure` is @noble/hashes (audited, pure JS, browser-safe) rather than our own code: hashing
 * is the Fiat-Shamir transcript's foundation, and a reviewed implementation beats a hand-written
 * one. Node's native hash stays the fast path because it is several times faster here (OpenSSL
 * with SHA extensions: ~12x on 1 MB, ~1.6x on 64-byte inputs).
 */
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

/** SHA-256 in pure JavaScript (browsers, and the reference the Node path is tested against). */
export function sha256Pure(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

interface NodeHash {
  update(data: Uint8Array): NodeHash;
  digest(): Uint8Array;
}
type CreateHash = (alg: string) => NodeHash;

function findNodeCreateHash(): CreateHash | null {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const crypto = proc?.getBuiltinModule?.("node:crypto") as { createHash?: CreateHash } | undefined;
    return crypto?.createHash ?? null;
  } catch {
    return null;
  }
}

const nodeCreateHash = findNodeCreateHash();

/** Which implementation `sha256` uses here. */
export const SHA256_IMPL: "node" | "pure" = nodeCreateHash ? "node" : "pure";

/** SHA-256 digest (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  if (nodeCreateHash) return new Uint8Array(nodeCreateHash("sha256").update(data).digest());
  return sha256Pure(data);
}
