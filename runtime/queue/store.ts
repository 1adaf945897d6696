/**
 * The blob store of a queue prove run: model files, tensors, committed messages and results, each
 * under the hex sha256 of its bytes, so a worker checks everything it fetches against the name it
 * asked for. Two kinds, both namespaced by the run id so that one run's cleanup removes exactly
 * its own blobs:
 * - Redis keys `zkc:run:<run>:blob:<sha256>` on the queue's own server (the default), with a TTL
 *   as a backstop for a coordinator that dies before its cleanup;
 * - a directory shared by the coordinator and the workers (`--store DIR`): `DIR/<run>/<sha256>`,
 *   written through a temporary name and a rename, so a reader never sees half a file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { ZkcError } from "../../compiler/errors.js";
import { sha256 } from "../../backends/math/sha256.js";
import { toHex } from "../link/codec.js";

/** Content-addressed bytes of one run. */
export interface BlobStore {
  /** stores the bytes; @returns their hex sha256 */
  put(bytes: Uint8Array): Promise<string>;
  /** @throws ZkcError QUEUE when the blob is missing or its bytes do not hash to `digest` */
  get(digest: string): Promise<Uint8Array>;
  /** marks the run as running (the coordinator, before anything else) */
  open(): Promise<void>;
  /** whether the run is still running: a worker puts no result into a run that has ended */
  alive(): Promise<boolean>;
  /** removes every blob of the run, and the mark */
  clear(): Promise<void>;
}

/** How long a run's Redis blobs live if nobody cleans them up (seconds). */
export const BLOB_TTL_SECONDS = 24 * 3600;

const HEX64 = /^[0-9a-f]{64}$/;

function checked(digest: string, bytes: Uint8Array | null, where: string): Uint8Array {
  if (bytes === null) throw new ZkcError("QUEUE", `the queue's store has no blob ${digest.slice(0, 16)}… (${where})`, { hint: "the prove run may have ended or been cleaned up; check that the worker and the coordinator use the same store" });
  if (toHex(sha256(bytes)) !== digest) throw new ZkcError("QUEUE", `blob ${digest.slice(0, 16)}… in the queue's store does not match its digest (${where})`, { hint: "the store was altered or is corrupt" });
  return bytes;
}

function checkDigest(digest: string): void {
  if (!HEX64.test(digest)) throw new ZkcError("QUEUE", `malformed blob digest "${digest.slice(0, 70)}" in a queue job`);
}

/** Blobs as Redis keys of one run. */
export class RedisBlobStore implements BlobStore {
  constructor(
    private readonly redis: Redis,
    readonly run: string,
  ) {}

  private key(digest: string): string {
    return `zkc:run:${this.run}:blob:${digest}`;
  }

  async open(): Promise<void> {
    await this.redis.set(`zkc:run:${this.run}:running`, "1", "EX", BLOB_TTL_SECONDS);
  }

  async alive(): Promise<boolean> {
    return (await this.redis.exists(`zkc:run:${this.run}:running`)) === 1;
  }

  async put(bytes: Uint8Array): Promise<string> {
    const digest = toHex(sha256(bytes));
    // content-addressed: a blob already there is the same bytes
    await this.redis.set(this.key(digest), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "EX", BLOB_TTL_SECONDS, "NX");
    return digest;
  }

  async get(digest: string): Promise<Uint8Array> {
    checkDigest(digest);
    const b = await this.redis.getBuffer(this.key(digest));
    return checked(digest, b === null ? null : new Uint8Array(b.buffer, b.byteOffset, b.byteLength), `run ${this.run}, Redis`);
  }

  async clear(): Promise<void> {
    const pattern = `zkc:run:${this.run}:*`;
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  }
}

/** Blobs as files of one run in a directory every machine of the run can read. */
export class DirBlobStore implements BlobStore {
  private readonly dir: string;
  constructor(
    root: string,
    readonly run: string,
  ) {
    this.dir = join(root, run);
  }

  async open(): Promise<void> {
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw new ZkcError("QUEUE", `cannot write to the queue's store ${this.dir}: ${(e as Error).message}`, { hint: "check the --store directory and its permissions" });
    }
  }

  async alive(): Promise<boolean> {
    return existsSync(this.dir);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const digest = toHex(sha256(bytes));
    const path = join(this.dir, digest);
    const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new ZkcError("QUEUE", `cannot write to the queue's store ${this.dir}: ${(e as Error).message}`, { hint: "check the --store directory and its permissions" });
    }
    return digest;
  }

  async get(digest: string): Promise<Uint8Array> {
    checkDigest(digest);
    let bytes: Uint8Array | null = null;
    try {
      bytes = readFileSync(join(this.dir, digest));
    } catch {
      bytes = null;
    }
    return checked(digest, bytes, `directory ${this.dir}`);
  }

  async clear(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
