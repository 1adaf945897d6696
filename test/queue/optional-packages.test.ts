/**
 * bullmq and ioredis are optional peer dependencies: loading the queue code without them is a
 * QUEUE error that names the packages to install; any other failure passes through unchanged.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../compiler/errors.js";
import { loadQueueModule } from "../../runtime/queue/options.js";

const missing = (pkg: string) => Object.assign(new Error(`Cannot find package '${pkg}' imported from /x/runtime/queue/coordinator.js`), { code: "ERR_MODULE_NOT_FOUND" });

describe("loadQueueModule", () => {
  it("turns a missing bullmq or ioredis into a QUEUE error with the install command", async () => {
    for (const pkg of ["bullmq", "ioredis"]) {
      const e = await loadQueueModule(() => Promise.reject(missing(pkg))).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ZkcError);
      expect((e as ZkcError).code).toBe("QUEUE");
      expect((e as ZkcError).details.hint).toBe("install them beside zkc: npm install bullmq@6 ioredis@6");
    }
  });

  it("passes other failures through, and loads the real module when the packages are there", async () => {
    const other = missing("left-pad");
    await expect(loadQueueModule(() => Promise.reject(other))).rejects.toBe(other);
    const boom = new Error("boom");
    await expect(loadQueueModule(() => Promise.reject(boom))).rejects.toBe(boom);
    const m = await loadQueueModule(() => import("../../runtime/queue/coordinator.js"));
    expect(typeof m.proveOnQueue).toBe("function");
  });
});
