/**
 * Which lowering each ONNX op type uses. An op file may also carry its own `lower`; the driver
 * prefers that. Data-movement ops name their moving inputs; every other input must be constant.
 */
import type { OpDef } from "../../ops/op.js";
import { lowerAsLookup, lowerByTracing } from "../generic.js";
import { type Lower, notQuantisable } from "./common.js";
import { lowerEinsum } from "./einsum.js";
import * as ew from "./elementwise.js";
import * as lin from "./linear.js";
import * as logic from "./logic.js";
import * as ml from "./ml.js";
import { lowerPad } from "./movement.js";
import * as norm from "./norm.js";
import * as pool from "./pool.js";
import * as red from "./reduce.js";
import * as rec from "./recurrent.js";
import * as tree from "./tree.js";

type LowerFactory = (def: OpDef) => Lower;

const fixed = (l: Lower): LowerFactory => () => l;
const traced = (dataInputs: number[]): LowerFactory => (def) => lowerByTracing(def.run, dataInputs);
const ALL_INPUTS = Array.from({ length: 64 }, (_, i) => i);
const lookup: LowerFactory = (def) => lowerAsLookup(def.run);
const scatter: LowerFactory = (def) => {
  const move = lowerByTracing(def.run, [0, 2]);
  return (inputs, ctx) => {
    const reduction = ctx.attrs.string("reduction", "none");
    if (reduction !== "none") throw notQuantisable(ctx, `${ctx.node.opType} with reduction "${reduction}" combines values; only reduction "none" is proven`);
    return move(inputs, ctx);
  };
};

export const LOWERINGS: Readonly<Record<string, LowerFactory>> = {
  // element-wise arithmetic
  Add: fixed(ew.lowerAdd),
  Sub: fixed(ew.lowerSub),
  Mul: fixed(ew.lowerMul),
  Div: fixed(ew.lowerDiv),
  Neg: fixed(ew.lowerNeg),
  Abs: fixed(ew.lowerAbs),
  Relu: fixed(ew.lowerRelu),
  LeakyRelu: fixed(ew.lowerLeakyRelu),
  PRelu: fixed(ew.lowerPRelu),
  Clip: fixed(ew.lowerClip),
  Max: fixed(ew.lowerMax),
  Min: fixed(ew.lowerMin),
  Sum: fixed(ew.lowerSum),
  Mean: fixed(ew.lowerMean),
  Pow: ew.lowerPow,
  Mod: fixed(ew.lowerMod),
  BitShift: fixed(ew.lowerBitShift),
  // unary functions as tables from their own float semantics
  Sigmoid: lookup,
  Tanh: lookup,
  Erf: lookup,
  Exp: lookup,
  Log: lookup,
  Sqrt: lookup,
  Reciprocal: lookup,
  Softplus: lookup,
  Softsign: lookup,
  Elu: lookup,
  Selu: lookup,
  Celu: lookup,
  HardSigmoid: lookup,
  HardSwish: lookup,
  Gelu: lookup,
  Mish: lookup,
  ThresholdedRelu: lookup,
  Shrink: lookup,
  Swish: lookup,
  Sin: lookup,
  Cos: lookup,
  Tan: lookup,
  Asin: lookup,
  Acos: lookup,
  Atan: lookup,
  Sinh: lookup,
  Cosh: lookup,
  Asinh: lookup,
  Acosh: lookup,
  Atanh: lookup,
  Floor: lookup,
  Ceil: lookup,
  Round: lookup,
  // comparisons, logic and selection: clamps and polynomials in 0/1 values (logic.ts)
  Greater: fixed(logic.lowerGreater),
  Less: fixed(logic.lowerLess),
  GreaterOrEqual: fixed(logic.lowerGreaterOrEqual),
  LessOrEqual: fixed(logic.lowerLessOrEqual),
  Equal: fixed(logic.lowerEqual),
  Not: fixed(logic.lowerNot),
  And: fixed(logic.lowerAnd),
  Or: fixed(logic.lowerOr),
  Xor: fixed(logic.lowerXor),
  Where: fixed(logic.lowerWhere),
  Sign: fixed(logic.lowerSign),
  Cast: fixed(logic.lowerCast),
  CastLike: fixed(logic.lowerCast),
  IsNaN: fixed(logic.lowerNeverTrue),
  IsInf: fixed(logic.lowerNeverTrue),
  // linear algebra, convolution, normalisation
  MatMul: fixed(lin.lowerMatMul),
  Einsum: fixed(lowerEinsum),
  Gemm: fixed(lin.lowerGemm),
  Conv: fixed(lin.lowerConv),
  ConvTranspose: fixed(lin.lowerConvTranspose),
  BatchNormalization: fixed(lin.lowerBatchNorm),
  LayerNormalization: fixed(red.lowerLayerNorm),
  InstanceNormalization: fixed(red.lowerInstanceNorm),
  GroupNormalization: fixed(red.lowerGroupNorm),
  LRN: fixed(red.lowerLRN),
  LpNormalization: fixed(norm.lowerLpNormalization),
  MeanVarianceNormalization: fixed(norm.lowerMeanVarianceNormalization),
  RMSNormalization: fixed(norm.lowerRMSNormalization),
  // recurrent: unrolled over the sequence
  RNN: fixed(rec.lowerRNN),
  GRU: fixed(rec.lowerGRU),
  LSTM: fixed(rec.lowerLSTM),
  // pooling
  MaxPool: fixed(pool.lowerMaxPool),
  AveragePool: fixed(pool.lowerAveragePool),
  GlobalAveragePool: fixed(pool.lowerGlobalAveragePool),
  GlobalMaxPool: fixed(pool.lowerGlobalMaxPool),
  LpPool: fixed(pool.lowerLpPool),
  // reductions
  ReduceSum: fixed(red.lowerReduceSum),
  ReduceMean: fixed(red.lowerReduceMean),
  ReduceMax: fixed(red.lowerReduceMax),
  ReduceMin: fixed(red.lowerReduceMin),
  ReduceL1: fixed(red.lowerReduceL1),
  ReduceL2: fixed(red.lowerReduceL2),
  ReduceSumSquare: fixed(red.lowerReduceSumSquare),
  ReduceLogSum: fixed(red.lowerReduceLogSum),
  ReduceLogSumExp: fixed(red.lowerReduceLogSumExp),
  ArgMax: fixed(red.lowerArgMax),
  ArgMin: fixed(red.lowerArgMin),
  CumSum: fixed(red.lowerCumSum),
  ReduceProd: fixed(red.lowerReduceProd),
  Softmax: fixed(red.lowerSoftmax),
  LogSoftmax: fixed(red.lowerLogSoftmax),
  Hardmax: fixed(red.lowerHardmax),
  // data movement: traced through the op's own semantics
  Identity: traced([0]),
  Dropout: traced([0]),
  Reshape: traced([0]),
  Flatten: traced([0]),
  Transpose: traced([0]),
  Squeeze: traced([0]),
  Unsqueeze: traced([0]),
  Concat: traced(ALL_INPUTS),
  Split: traced([0]),
  Slice: traced([0]),
  Gather: traced([0]),
  Expand: traced([0]),
  Tile: traced([0]),
  DepthToSpace: traced([0]),
  SpaceToDepth: traced([0]),
  GatherElements: traced([0]),
  GatherND: traced([0]),
  Pad: lowerPad,
  Trilu: traced([0]),
  // scatters move data and updates only without a reduction (add/mul/max/min combine values)
  ScatterElements: scatter,
  Scatter: scatter,
  ScatterND: scatter,
  // ONNX-ML (ai.onnx.ml): linear models, feature transforms and tree ensembles (ml.ts, tree.ts)
  Scaler: fixed(ml.lowerScaler),
  Normalizer: fixed(ml.lowerNormalizer),
  Binarizer: fixed(ml.lowerBinarizer),
  ArrayFeatureExtractor: traced([0]),
  LinearRegressor: fixed(ml.lowerLinearRegressor),
  LinearClassifier: fixed(ml.lowerLinearClassifier),
  TreeEnsembleRegressor: fixed(tree.lowerTreeEnsembleRegressor),
  TreeEnsembleClassifier: fixed(tree.lowerTreeEnsembleClassifier),
  TreeEnsemble: fixed(tree.lowerTreeEnsemble),
};

/** The lowering of an op: its own, else the table's, else undefined. */
export function loweringOf(def: OpDef): Lower | undefined {
  if (def.lower) return def.lower.bind(def);
  const f = LOWERINGS[def.opType];
  return f ? f(def) : undefined;
}
