/** Small test kernels shared by the end-to-end and format tests. */
import {
  argmax,
  commitTensor,
  linear,
  mleEvaluate,
  rangeCheckAll,
  rescaleRelu,
  type R1csBuilder,
} from "../../backends/groth16/index.js";

/** A 2-layer integer MLP: 4 inputs (6-bit signed) → 6 hidden → 3 classes. */
export const MLP = {
  W1: [
    [3n, -2n, 5n, 1n],
    [-4n, 6n, 0n, 2n],
    [1n, 1n, -7n, 3n],
    [8n, -1n, 2n, -5n],
    [-3n, -3n, 4n, 6n],
    [2n, 7n, 1n, -8n],
  ],
  b1: [4n, -6n, 0n, 9n, -2n, 1n],
  W2: [
    [2n, -3n, 4n, 1n, -1n, 5n],
    [-2n, 6n, -1n, 3n, 2n, -4n],
    [5n, 1n, 2n, -6n, 3n, 2n],
  ],
  b2: [10n, -5n, 0n],
  k: 3,
  hiddenBits: 8,
  logitBits: 14,
};

/** Circuit: public input x, public output the predicted class. */
export function mlpCircuit(b: R1csBuilder, x: readonly bigint[]): void {
  const xs = b.publicInputs(x, "x");
  rangeCheckAll(b, xs, 6, true);
  const h = linear(b, MLP.W1, xs, MLP.b1);
  const a = rescaleRelu(b, h, MLP.k, MLP.hiddenBits);
  const logits = linear(b, MLP.W2, a, MLP.b2);
  b.output(argmax(b, logits, MLP.logitBits).index, "class");
}

/** The same model in plain Number arithmetic (the independent reference). */
export function mlpReference(x: readonly bigint[]): number {
  const xs = x.map(Number);
  const h = MLP.W1.map((row, i) => row.reduce((s, w, j) => s + Number(w) * xs[j]!, Number(MLP.b1[i]!)));
  const a = h.map((v) => Math.max(0, Math.floor((v + 4) / 8)));
  const logits = MLP.W2.map((row, i) => row.reduce((s, w, j) => s + Number(w) * a[j]!, Number(MLP.b2[i]!)));
  return logits.indexOf(Math.max(...logits));
}

/** Circuit: public logits (8-bit signed), public output their argmax. */
export function argmaxCircuit(b: R1csBuilder, logits: readonly bigint[]): void {
  const xs = b.publicInputs(logits, "logit");
  rangeCheckAll(b, xs, 8, true);
  b.output(argmax(b, xs, 8).index, "argmax");
}

/**
 * Circuit: a private tensor, its Poseidon commitment (public output), a public evaluation point
 * and the MLE value there (public output): the claim "MLE(T)(r) = v for the T committed to".
 */
export function mleClaimCircuit(b: R1csBuilder, input: { tensor: readonly bigint[]; point: readonly bigint[] }): void {
  const t = b.privateInputs(input.tensor, "T");
  const r = b.publicInputs(input.point, "r");
  b.output(commitTensor(b, t), "commitment");
  b.output(mleEvaluate(b, t, r), "value");
}
