/**
 * The backend contract: what every proof system implements, in one place, and the registry that
 * lists them. The planner (compiler/plan), the build step (toolchain/) and the bundle prover and
 * verifier (runtime/) work through this contract only; none of them names a backend. Adding a
 * proof system is one folder that implements `Backend` plus a line in `registry.ts` (and, for
 * the browser-safe verifier, a line in `verifiers.ts`).
 *
 * A kernel's life through the contract (docs/architecture.md has the protocol):
 * 1. plan: `supports` and `estimate` (the `PlannerBackend` half, declared by the compiler);
 * 2. build: `build` gives the kernel's artifacts: a JSON section of the manifest (stored under the
 *    backend's name) and side files (keys, circuits);
 * 3. prove, on the bundle's one transcript: `commit` (prover messages that must precede every
 *    challenge), then, walking the kernels backward, `prove` reduces the claims on the kernel's
 *    outputs to claims on its inputs;
 * 4. verify mirrors it: `absorbCommitments`, `verify` (returns the input claims or a reason),
 *    and `finish` for checks a backend batches across kernels.
 * Proof sections are plain value trees (`encode`/`decode`), so a kernel job and its result can
 * travel to a worker thread or another machine.
 *
 * The verifier half (`BackendVerifier`) must stay browser-safe: no Node built-ins.
 */
import { ZkcError } from "../compiler/errors.js";
import type { KernelSpec, PlannerBackend } from "../compiler/plan/backend.js";
import type { CostConstants, CostEstimate } from "../compiler/plan/cost.js";
import type { QProgram } from "../compiler/quant/prim.js";
import type { Claim } from "./math/claims.js";
import type { Transcript } from "./math/transcript.js";

export type { KernelKind, KernelSpec, PlannerBackend, Support } from "../compiler/plan/backend.js";
export type { Claim } from "./math/claims.js";

/** A kernel's part of the proof bundle: a plain value tree (bigints, byte strings, arrays, objects). */
export type ProofSection = Record<string, unknown>;

/** Success with extra fields, or a reason a person can act on. */
export type Verdict<T extends object = object> = ({ ok: true } & T) | { ok: false; reason: string };

/** Claims waiting on a kernel, by tensor, in the kernel's claim order (see `claimTargets`). */
export type ClaimsByTensor = ReadonlyMap<string, readonly Claim[]>;

/** What both sides of the bundle protocol give a backend. */
export interface BundleContext {
  /** the bundle's one transcript (DESIGN §4.1) */
  transcript: Transcript;
  program: QProgram;
  /** integers of the public model inputs (the verifier knows them: claims on them end there) */
  publicInputs: ReadonlyMap<string, Float64Array>;
  /** integers of the public model outputs, as published in the bundle */
  publicOutputs: ReadonlyMap<string, Float64Array>;
  /** the statement's commitment (Poseidon hash) of a committed boundary tensor or hashed input/output */
  commitmentOf(tensor: string): bigint | undefined;
  /** a side file of the artifacts by its relative name (digest checks are the backend's) */
  files(name: string): Promise<Uint8Array>;
  /** verifier only: accept artifacts built with an insecure (public-trapdoor) setup */
  allowInsecureSetup?: boolean;
}

/** What the prover adds. */
export interface ProverContext extends BundleContext {
  /** exact integers of the witness's tensors (params are in the program) */
  values: ReadonlyMap<string, Float64Array>;
  /**
   * exact integers of any tensor (witness or param)
   * @throws ZkcError INTERNAL for a tensor with no value
   */
  valueOf(tensor: string): Float64Array;
}

/** A kernel proof and the claims it leaves on the kernel's inputs (for their producers). */
export interface KernelProofResult {
  section: ProofSection;
  inputClaims: Claim[];
}

/** The verifying half of a backend (browser-safe). */
export interface BackendVerifier<A = unknown> {
  readonly name: string;
  readonly boundary: PlannerBackend["boundary"];
  readonly wholeModel: boolean;
  /**
   * Check the backend's manifest section of a kernel (undefined when the backend stores none).
   * @throws ZkcError MODEL_FORMAT naming `field`
   */
  parseArtifacts(kernel: KernelSpec, artifacts: unknown, field: string): A;
  /** side files the verifier reads for this kernel (never a proving key) */
  verifierFiles(artifacts: A): string[];
  /** Strictly check a kernel's proof section from the bundle (untrusted data). */
  decode(fields: Record<string, unknown>): Verdict<{ section: ProofSection }>;
  /**
   * Optional, for the binary proof file (`proof.bin`, docs/formats.md): a more compact value tree
   * of the stored fields (`encode`'s result), e.g. curve points as compressed bytes instead of
   * decimal strings. JSON proofs keep the fields as they are. Prover side: may throw for fields
   * that are not this backend's (a bug, not user input).
   */
  packBinary?(fields: Record<string, unknown>): Record<string, unknown>;
  /** Inverse of `packBinary`, strict (curve and subgroup checks, canonical values); never throws. */
  unpackBinary?(packed: Record<string, unknown>): Verdict<{ fields: Record<string, unknown> }>;
  /** Absorb the kernel's pre-challenge messages (mirror of `Backend.commit`). */
  absorbCommitments?(kernel: KernelSpec, artifacts: A, section: ProofSection, ctx: BundleContext): Verdict;
  /**
   * Check the kernel's proof against the claims on its outputs; give the claims it leaves on its
   * inputs. Never throws on proof data.
   */
  verify(kernel: KernelSpec, artifacts: A, section: ProofSection, claims: ClaimsByTensor, ctx: BundleContext): Promise<Verdict<{ inputClaims: Claim[] }>>;
  /** Checks batched across the bundle's kernels, after the walk (e.g. commitment openings in one MSM). */
  finish?(ctx: BundleContext): Promise<Verdict>;
}

/** Options of `Backend.build`. */
export interface BuildOptions {
  /** the cost model's constants (for the exact estimate of what was built) */
  costs: CostConstants;
  /** key and parameter cache directory (default: the user cache) */
  cacheDir?: string;
  /** a prepared public-ceremony powers-of-tau file, for backends with a universal setup */
  ptau?: string;
  /** INSECURE, tests only: a setup whose trapdoor is public (fast and deterministic; forgeable) */
  insecureDevSetup?: boolean;
  onProgress?: (step: string, done: number, total: number) => void;
}

/** What `build` gives for one kernel. */
export interface BuiltKernel {
  /** the manifest section (JSON), stored under the backend's name; undefined for none */
  artifacts?: unknown;
  /** side files by relative name (keys, circuits) */
  files: Map<string, Uint8Array>;
  /** an exact estimate that replaces the planner's (e.g. from the counted circuit size) */
  estimate?: CostEstimate;
  /** a few words on what was built, appended to the plan's reason */
  note?: string;
  /** true when the artifacts come from an insecure setup (public trapdoor): development only */
  insecureSetup?: boolean;
}

/** A proof system: planning, building, proving and verifying kernels. */
export interface Backend<A = unknown> extends PlannerBackend, BackendVerifier<A> {
  /** Measure this machine's constants (a subset of `costDefaults`); `thorough` allows slow steps. */
  calibrate?(opts: { cacheDir?: string; thorough?: boolean }): Promise<Record<string, number>>;
  build(kernel: KernelSpec, opts: BuildOptions): Promise<BuiltKernel>;
  /** side files the prover reads for this kernel */
  proverFiles(artifacts: A): string[];
  /** Prover messages that must precede every challenge (absorbed into the transcript); its result goes to `prove`. */
  commit?(kernel: KernelSpec, artifacts: A, ctx: ProverContext): Promise<unknown>;
  /**
   * Re-establish on `ctx.transcript` (a fresh kernel transcript, e.g. in a worker) the state that
   * `commit` left, from its result as plain data (possibly serialised and decoded), without
   * redoing its expensive work; it absorbs the same bytes. Backends without `commit` need none.
   */
  resumeCommit?(kernel: KernelSpec, artifacts: A, committed: unknown, ctx: ProverContext): Promise<void>;
  prove(kernel: KernelSpec, artifacts: A, claims: ClaimsByTensor, ctx: ProverContext, committed: unknown): Promise<KernelProofResult>;
  /** The proof section as the value tree the bundle stores (the inverse of `decode`). */
  encode(section: ProofSection): Record<string, unknown>;
  /** Extra verifiers to export for this kernel (e.g. Solidity), by file name. */
  exportVerifiers?(kernel: KernelSpec, artifacts: A, files: (name: string) => Promise<Uint8Array>): Promise<Map<string, string>>;
}

/**
 * The tensors whose claims a kernel takes: its outputs; for the commit kernel of a hashed input,
 * that input (its published hash ends the claim chain there).
 */
export function claimTargets(kernel: Pick<KernelSpec, "kind" | "inputs" | "outputs">): readonly string[] {
  return kernel.kind === "hash-input" ? kernel.inputs : kernel.outputs;
}

/** An ordered set of backends, looked up by name. */
export class BackendRegistry<B extends BackendVerifier = Backend> {
  private readonly byName = new Map<string, B>();

  /** @throws RangeError for two backends of one name */
  constructor(backends: readonly B[]) {
    for (const b of backends) {
      if (this.byName.has(b.name)) throw new RangeError(`BackendRegistry: two backends are named "${b.name}"`);
      this.byName.set(b.name, b);
    }
  }

  /** Every backend, in registration order (the order of ties and of manifest estimates). */
  list(): B[] {
    return [...this.byName.values()];
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  find(name: string): B | undefined {
    return this.byName.get(name);
  }

  /**
   * The backend of this name.
   * @throws ZkcError MODEL_FORMAT naming the registered backends
   */
  get(name: string): B {
    const b = this.byName.get(name);
    if (!b) {
      throw new ZkcError("MODEL_FORMAT", `no backend named "${name}" is registered`, {
        expected: this.names().join(", "),
        got: name,
        hint: "the artifacts were compiled with a backend this zkc does not have; compile the model again",
      });
    }
    return b;
  }

  /** A registry with more backends after these (e.g. a plug-in). */
  with(...more: B[]): BackendRegistry<B> {
    return new BackendRegistry([...this.list(), ...more]);
  }
}
