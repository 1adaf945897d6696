/**
 * Minimal typings for the parts of snarkjs 0.7.6 that zkc uses. A "file" argument is a path or
 * the bytes themselves; an output may be `{type: "mem"}`, whose `data` holds the bytes afterwards.
 */
declare module "snarkjs" {
  export interface MemFile {
    type: "mem";
    data?: Uint8Array;
  }
  export type FileIn = string | Uint8Array | MemFile;
  export type FileOut = string | MemFile;
  export interface Logger {
    debug(msg: string): void;
    info(msg: string): void;
    warn(msg: string): void;
    error(msg: string): void;
  }
  export interface Groth16Proof {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: string;
    curve: string;
  }
  export interface VerificationKey {
    protocol: string;
    curve: string;
    nPublic: number;
    vk_alpha_1: string[];
    vk_beta_2: string[][];
    vk_gamma_2: string[][];
    vk_delta_2: string[][];
    vk_alphabeta_12?: unknown;
    IC: string[][];
  }
  export interface R1csInfo {
    nVars: number;
    nOutputs: number;
    nPubInputs: number;
    nPrvInputs: number;
    nLabels: number;
    nConstraints: number;
    n8: number;
    prime: bigint;
  }
  export namespace groth16 {
    function prove(zkey: FileIn, witness: FileIn, logger?: Logger): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    function verify(vkey: unknown, publicSignals: unknown, proof: unknown, logger?: Logger): Promise<boolean>;
    function exportSolidityCallData(proof: unknown, publicSignals: unknown): Promise<string>;
  }
  export namespace powersOfTau {
    function newAccumulator(curve: unknown, power: number, out: FileOut, logger?: Logger): Promise<unknown>;
    function beacon(oldPtau: FileIn, newPtau: FileOut, name: string, beaconHashHex: string, numIterationsExp: number, logger?: Logger): Promise<unknown>;
    function preparePhase2(oldPtau: FileIn, newPtau: FileOut, logger?: Logger): Promise<void>;
    /** `snarkjs powersoftau verify`: checks every contribution and the prepared sections. */
    function verify(ptau: FileIn, logger?: Logger): Promise<boolean>;
  }
  export namespace zKey {
    function newZKey(r1cs: FileIn, ptau: FileIn, zkey: FileOut, logger?: Logger): Promise<unknown>;
    function contribute(oldZkey: FileIn, newZkey: FileOut, name: string, entropy: string, logger?: Logger): Promise<unknown>;
    function beacon(oldZkey: FileIn, newZkey: FileOut, name: string, beaconHashHex: string, numIterationsExp: number, logger?: Logger): Promise<unknown>;
    function exportVerificationKey(zkey: FileIn, logger?: Logger): Promise<VerificationKey>;
    function exportSolidityVerifier(zkey: FileIn, templates: Record<string, string>, logger?: Logger): Promise<string>;
    function verifyFromR1cs(r1cs: FileIn, ptau: FileIn, zkey: FileIn, logger?: Logger): Promise<boolean>;
  }
  export namespace r1cs {
    function info(r1cs: FileIn, logger?: Logger): Promise<R1csInfo>;
  }
  export namespace wtns {
    function check(r1cs: FileIn, wtns: FileIn, logger?: Logger): Promise<boolean>;
  }
  export namespace curves {
    function getCurveFromName(name: string, options?: { singleThread?: boolean }): Promise<unknown>;
  }
}
