/**
 * Measures the Groth16 backend on the test kernels: constraints, nonzeros, build, setup (zkey
 * new + contribution, uncached), prove and verify times.
 * Run: `npx tsx backends/groth16/bench.ts` (uses the cached development ptau; a fresh cache
 * directory for zkeys so setup is measured, removed afterwards).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheDir, requiredPower, resolvePtau, setupGroth16, terminateSnarkjs } from "./keys.js";
import { proveGroth16, verifyGroth16 } from "./prove.js";
import { R1csBuilder } from "./r1cs.js";
import { argmax, maxOf } from "./gadgets/compare.js";
import { commitTensor } from "./gadgets/poseidon.js";
import { linear } from "./gadgets/arith.js";
import { rescaleRelu } from "./gadgets/bits.js";
import { mleEvaluate } from "./gadgets/mle.js";

type Def = (b: R1csBuilder) => void;

const kernels: Record<string, Def> = {
  "argmax over 10 (16-bit)": (b) => void b.output(argmax(b, b.publicInputs([...Array(10)].map((_, i) => BigInt((i * 37) % 11 - 5))), 16).index),
  "max over 64 (16-bit)": (b) => void b.output(maxOf(b, b.privateInputs([...Array(64)].map((_, i) => BigInt((i * 37) % 101 - 50))), 16)),
  "MLP 16-32-10 + argmax": (b) => {
    const W1 = [...Array(32)].map((_, i) => [...Array(16)].map((_, j) => BigInt(((i * 7 + j * 3) % 15) - 7)));
    const W2 = [...Array(10)].map((_, i) => [...Array(32)].map((_, j) => BigInt(((i * 5 + j * 11) % 15) - 7)));
    const x = b.publicInputs([...Array(16)].map((_, i) => BigInt((i % 9) - 4)));
    const h = rescaleRelu(b, linear(b, W1, x), 4, 8);
    b.output(argmax(b, linear(b, W2, h), 16).index);
  },
  "commit 16 + MLE claim": (b) => {
    const t = b.privateInputs([...Array(16)].map((_, i) => BigInt(i * 3 - 20)));
    const r = b.publicInputs([...Array(4)].map((_, i) => BigInt(1000 + i)));
    b.output(commitTensor(b, t));
    b.output(mleEvaluate(b, t, r));
  },
};

// zkeys go to a scratch directory so setup is measured every run; ptaus come from the shared cache
const zkeyDir = fs.mkdtempSync(path.join(os.tmpdir(), "zkc-bench-"));
console.log(`ptau cache: ${cacheDir()}`);
console.log("| kernel | constraints | wires | nonzeros | ptau | build | setup | prove | verify |\n|---|---|---|---|---|---|---|---|---|");
try {
  for (const [name, def] of Object.entries(kernels)) {
    let t = performance.now();
    const b = new R1csBuilder();
    def(b);
    const built = b.build();
    const buildMs = performance.now() - t;
    let nz = 0;
    for (const k of built.r1cs.constraints) nz += k.a.length + k.b.length + k.c.length;
    t = performance.now();
    const ptau = await resolvePtau(requiredPower(built.r1cs.constraints.length, built.r1cs.nPubOut + built.r1cs.nPubIn));
    t = performance.now();
    const keys = await setupGroth16(built.r1cs, { cacheDir: zkeyDir, ptauPath: ptau.path });
    const setupMs = performance.now() - t;
    t = performance.now();
    const { proof, publicSignals } = await proveGroth16(built.r1cs, built.witness, keys);
    const proveMs = performance.now() - t;
    t = performance.now();
    const ok = await verifyGroth16(keys.vkey, publicSignals, proof);
    const verifyMs = performance.now() - t;
    if (!ok.ok) throw new Error(`${name}: ${ok.reason}`);
    const f = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
    console.log(`| ${name} | ${built.r1cs.constraints.length} | ${built.r1cs.nWires} | ${nz} | 2^${ptau.power} | ${f(buildMs)} | ${f(setupMs)} | ${f(proveMs)} | ${f(verifyMs)} |`);
  }
} finally {
  await terminateSnarkjs();
  fs.rmSync(zkeyDir, { recursive: true, force: true });
}
