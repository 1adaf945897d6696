/**
 * The ZkcError family: every failure a user can cause is one of these, with enough context
 * (file, node, op, expected/got, hint) to act on without reading a stack trace. The CLI prints
 * `error.message` as one line and maps `exitCode` to the process exit code.
 */

export type ZkcErrorCode =
  | "MODEL_FORMAT" // not a protobuf, truncated, missing graph
  | "UNSUPPORTED_OP" // op type unknown, or from a non-default domain
  | "UNSUPPORTED_OPSET" // opset newer (or older) than supported
  | "UNSUPPORTED_DTYPE"
  | "UNSUPPORTED_FEATURE" // external data, dynamic shapes that cannot be resolved, ...
  | "SHAPE" // shape mismatch found by inference
  | "ATTRIBUTE" // missing or ill-typed attribute
  | "INPUT" // bad user input (wrong shape, NaN, ...)
  | "QUANTISATION" // bound would wrap the field, range exceeded, ...
  | "USAGE" // bad command-line usage, or library options that do not go together
  | "ABORTED" // the caller's AbortSignal fired (library calls); the CLI's Ctrl-C exits 130 too
  | "QUEUE" // the proving queue: Redis unreachable or lost, a kernel job that exhausted its attempts
  | "INTERNAL"; // a bug in zkc

export interface ZkcErrorDetails {
  file?: string;
  node?: string;
  op?: string;
  expected?: string;
  got?: string;
  hint?: string;
}

export class ZkcError extends Error {
  readonly code: ZkcErrorCode;
  readonly details: ZkcErrorDetails;
  /** bare reason, without the location prefix and the hint */
  readonly reason: string;

  constructor(code: ZkcErrorCode, reason: string, details: ZkcErrorDetails = {}) {
    super(formatMessage(reason, details));
    this.name = "ZkcError";
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  /** Exit code the CLI uses: 2 for bad input or usage, 3 for internal bugs, 130 (as an interrupt) for ABORTED. */
  get exitCode(): number {
    return this.code === "INTERNAL" ? 3 : this.code === "ABORTED" ? 130 : 2;
  }

  /** A copy with more location context (fields already set win). */
  withDetails(more: ZkcErrorDetails): ZkcError {
    const merged: ZkcErrorDetails = { ...more, ...stripUndefined(this.details) };
    const copy = new ZkcError(this.code, this.reason, merged);
    copy.stack = this.stack;
    return copy;
  }
}

function stripUndefined(d: ZkcErrorDetails): ZkcErrorDetails {
  const out: ZkcErrorDetails = {};
  for (const [k, v] of Object.entries(d)) if (v !== undefined) (out as Record<string, string>)[k] = v;
  return out;
}

function formatMessage(reason: string, d: ZkcErrorDetails): string {
  const where: string[] = [];
  if (d.file) where.push(d.file);
  if (d.node !== undefined || d.op) {
    const node = d.node ? `node "${d.node}"` : "node";
    where.push(d.op ? `${node} (${d.op})` : node);
  }
  let msg = where.length ? `${where.join(": ")}: ${reason}` : reason;
  if (d.expected !== undefined || d.got !== undefined) {
    msg += ` (expected ${d.expected ?? "?"}, got ${d.got ?? "?"})`;
  }
  if (d.hint) msg += `. ${d.hint}`;
  return msg;
}

/** Throws an INTERNAL error: for invariants that only a bug in zkc can break. */
export function internal(reason: string): never {
  throw new ZkcError("INTERNAL", `internal error: ${reason}`, {
    hint: "this is a bug in zkc; please report it with the model that triggered it",
  });
}
