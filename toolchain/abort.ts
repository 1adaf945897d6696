/** Cancellation for the library API: an aborted `AbortSignal` becomes a ZkcError ABORTED. */
import { ZkcError } from "../compiler/errors.js";

/** The error an aborted call rejects with; `step` says where the signal was seen. */
export function abortedError(step: string, signal?: AbortSignal): ZkcError {
  const why = signal?.reason instanceof Error ? signal.reason.message : typeof signal?.reason === "string" ? signal.reason : undefined;
  return new ZkcError("ABORTED", `aborted ${step}${why && why !== "This operation was aborted" ? ` (${why})` : ""}`, {
    hint: "the signal passed as `signal` was aborted; nothing was written",
  });
}

/**
 * Throws ABORTED when `signal` has fired. Long steps cannot be interrupted inside (a calibration,
 * one kernel's key generation or proof), so callers check between them.
 */
export function checkAborted(signal: AbortSignal | undefined, step: string): void {
  if (signal?.aborted) throw abortedError(step, signal);
}
