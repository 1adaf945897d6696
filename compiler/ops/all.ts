/**
 * Every op implementation, by explicit import. Adding an op: write compiler/ops/<op>.ts and add
 * it here. Grouped so that several people can add ops without touching the same lines.
 */
import type { OpDef } from "./op.js";

// --- element-wise math, activations, reductions ---
import { Abs_1 } from "./abs.js";
import { Acos_7 } from "./acos.js";
import { Acosh_9 } from "./acosh.js";
import { Add_1, Add_7 } from "./add.js";
import { And_1, And_7 } from "./and.js";
import { ArgMax_1 } from "./arg-max.js";
import { ArgMin_1 } from "./arg-min.js";
import { Asin_7 } from "./asin.js";
import { Asinh_9 } from "./asinh.js";
import { Atan_7 } from "./atan.js";
import { Atanh_9 } from "./atanh.js";
import { Ceil_1 } from "./ceil.js";
import { Celu_12 } from "./celu.js";
import { Clip_6, Clip_11 } from "./clip.js";
import { Cos_7 } from "./cos.js";
import { Cosh_9 } from "./cosh.js";
import { CumSum_11 } from "./cumsum.js";
import { Div_1, Div_7 } from "./div.js";
import { Elu_1 } from "./elu.js";
import { Equal_1, Equal_7 } from "./equal.js";
import { Erf_9 } from "./erf.js";
import { Exp_1 } from "./exp.js";
import { Floor_1 } from "./floor.js";
import { Gelu_20 } from "./gelu.js";
import { Greater_1, Greater_7 } from "./greater.js";
import { GreaterOrEqual_12 } from "./greater-or-equal.js";
import { HardSigmoid_1 } from "./hard-sigmoid.js";
import { HardSwish_14 } from "./hard-swish.js";
import { Hardmax_1, Hardmax_13 } from "./hardmax.js";
import { IsInf_10 } from "./is-inf.js";
import { IsNaN_9 } from "./is-nan.js";
import { LeakyRelu_1 } from "./leaky-relu.js";
import { Less_1, Less_7 } from "./less.js";
import { LessOrEqual_12 } from "./less-or-equal.js";
import { Log_1 } from "./log.js";
import { LogSoftmax_1, LogSoftmax_13 } from "./log-softmax.js";
import { Max_1, Max_8 } from "./max.js";
import { Mean_1, Mean_8 } from "./mean.js";
import { Min_1, Min_8 } from "./min.js";
import { Mish_18 } from "./mish.js";
import { Mod_10 } from "./mod.js";
import { Mul_1, Mul_7 } from "./mul.js";
import { Neg_1 } from "./neg.js";
import { Not_1 } from "./not.js";
import { Or_1, Or_7 } from "./or.js";
import { Pow_1, Pow_7 } from "./pow.js";
import { PRelu_1, PRelu_7 } from "./prelu.js";
import { Reciprocal_1 } from "./reciprocal.js";
import { ReduceL1_1, ReduceL1_18 } from "./reduce-l1.js";
import { ReduceL2_1, ReduceL2_18 } from "./reduce-l2.js";
import { ReduceLogSum_1, ReduceLogSum_18 } from "./reduce-log-sum.js";
import { ReduceLogSumExp_1, ReduceLogSumExp_18 } from "./reduce-log-sum-exp.js";
import { ReduceMax_1, ReduceMax_18 } from "./reduce-max.js";
import { ReduceMean_1, ReduceMean_18 } from "./reduce-mean.js";
import { ReduceMin_1, ReduceMin_18 } from "./reduce-min.js";
import { ReduceProd_1, ReduceProd_18 } from "./reduce-prod.js";
import { ReduceSum_1, ReduceSum_13 } from "./reduce-sum.js";
import { ReduceSumSquare_1, ReduceSumSquare_18 } from "./reduce-sum-square.js";
import { Relu_1 } from "./relu.js";
import { Round_11 } from "./round.js";
import { Selu_1 } from "./selu.js";
import { Shrink_9 } from "./shrink.js";
import { Sigmoid_1 } from "./sigmoid.js";
import { Sign_9 } from "./sign.js";
import { Sin_7 } from "./sin.js";
import { Sinh_9 } from "./sinh.js";
import { Softmax_1, Softmax_13 } from "./softmax.js";
import { Softplus_1 } from "./softplus.js";
import { Softsign_1 } from "./softsign.js";
import { Sqrt_1 } from "./sqrt.js";
import { Sub_1, Sub_7 } from "./sub.js";
import { Sum_1, Sum_8 } from "./sum.js";
import { Tan_7 } from "./tan.js";
import { Swish_24 } from "./swish.js";
import { Tanh_1 } from "./tanh.js";
import { ThresholdedRelu_10 } from "./thresholded-relu.js";
import { Xor_1, Xor_7 } from "./xor.js";
import { BitShift_11 } from "./bit-shift.js";
import { BitwiseAnd_18 } from "./bitwise-and.js";
import { BitwiseNot_18 } from "./bitwise-not.js";
import { BitwiseOr_18 } from "./bitwise-or.js";
import { BitwiseXor_18 } from "./bitwise-xor.js";
import { Det_11 } from "./det.js";
import { TopK_1, TopK_10, TopK_11 } from "./top-k.js";
import { NegativeLogLikelihoodLoss_12 } from "./negative-log-likelihood-loss.js";
import { SoftmaxCrossEntropyLoss_12 } from "./softmax-cross-entropy-loss.js";
import { BlackmanWindow_17 } from "./blackman-window.js";
import { HammingWindow_17 } from "./hamming-window.js";
import { HannWindow_17 } from "./hann-window.js";
export const MATH_OPS: readonly OpDef[] = [
  Abs_1, Acos_7, Acosh_9, Add_1, Add_7, And_1, And_7, ArgMax_1, ArgMin_1, Asin_7, Asinh_9, Atan_7, Atanh_9,
  Ceil_1, Celu_12, Clip_6, Clip_11, Cos_7, Cosh_9, CumSum_11, Div_1, Div_7, Elu_1, Equal_1, Equal_7, Erf_9,
  Exp_1, Floor_1, Gelu_20, Greater_1, Greater_7, GreaterOrEqual_12, HardSigmoid_1, HardSwish_14, Hardmax_1,
  Hardmax_13, IsInf_10, IsNaN_9, LeakyRelu_1, Less_1, Less_7, LessOrEqual_12, Log_1, LogSoftmax_1,
  LogSoftmax_13, Max_1, Max_8, Mean_1, Mean_8, Min_1, Min_8, Mish_18, Mod_10, Mul_1, Mul_7, Neg_1, Not_1,
  Or_1, Or_7, Pow_1, Pow_7, PRelu_1, PRelu_7, Reciprocal_1, ReduceL1_1, ReduceL1_18, ReduceL2_1, ReduceL2_18,
  ReduceLogSum_1, ReduceLogSum_18, ReduceLogSumExp_1, ReduceLogSumExp_18, ReduceMax_1, ReduceMax_18,
  ReduceMean_1, ReduceMean_18, ReduceMin_1, ReduceMin_18, ReduceProd_1, ReduceProd_18, ReduceSum_1,
  ReduceSum_13, ReduceSumSquare_1, ReduceSumSquare_18, Relu_1, Round_11, Selu_1, Shrink_9, Sigmoid_1, Sign_9,
  Sin_7, Sinh_9, Softmax_1, Softmax_13, Softplus_1, Softsign_1, Sqrt_1, Sub_1, Sub_7, Sum_1, Sum_8, Swish_24,
  Tan_7, Tanh_1, ThresholdedRelu_10, Xor_1, Xor_7,
  BitShift_11, BitwiseAnd_18, BitwiseNot_18, BitwiseOr_18, BitwiseXor_18,
  Det_11, TopK_1, TopK_10, TopK_11,
  NegativeLogLikelihoodLoss_12, SoftmaxCrossEntropyLoss_12,
  BlackmanWindow_17, HammingWindow_17, HannWindow_17,
];

// --- linear algebra, convolution, pooling, normalisation ---
import { AveragePool_1 } from "./average-pool.js";
import { BatchNormalization_1, BatchNormalization_7, BatchNormalization_9, BatchNormalization_14, BatchNormalization_15 } from "./batch-normalization.js";
import { Conv_1 } from "./conv.js";
import { ConvInteger_10 } from "./conv-integer.js";
import { ConvTranspose_1 } from "./conv-transpose.js";
import { Einsum_12 } from "./einsum.js";
import { Gemm_1, Gemm_7, Gemm_11 } from "./gemm.js";
import { GlobalAveragePool_1 } from "./global-average-pool.js";
import { GlobalMaxPool_1 } from "./global-max-pool.js";
import { GroupNormalization_18, GroupNormalization_21 } from "./group-normalization.js";
import { InstanceNormalization_1 } from "./instance-normalization.js";
import { LayerNormalization_17 } from "./layer-normalization.js";
import { RMSNormalization_23 } from "./rms-normalization.js";
import { LRN_1 } from "./lrn.js";
import { LpNormalization_1 } from "./lp-normalization.js";
import { LpPool_1 } from "./lp-pool.js";
import { MatMul_1 } from "./matmul.js";
import { MatMulInteger_10 } from "./matmul-integer.js";
import { MaxPool_1 } from "./max-pool.js";
import { MaxUnpool_9 } from "./max-unpool.js";
import { MeanVarianceNormalization_9 } from "./mean-variance-normalization.js";
import { QLinearConv_10 } from "./qlinear-conv.js";
import { QLinearMatMul_10 } from "./qlinear-matmul.js";
import { GRU_7, GRU_14, LSTM_7, LSTM_14, RNN_7, RNN_14 } from "./recurrent.js";
const NN_OPS: OpDef[] = [
  AveragePool_1, BatchNormalization_1, BatchNormalization_7, BatchNormalization_9, BatchNormalization_14,
  BatchNormalization_15, Conv_1, ConvInteger_10, ConvTranspose_1, Einsum_12, Gemm_1, Gemm_7, Gemm_11, GlobalAveragePool_1, GlobalMaxPool_1,
  GroupNormalization_18, GroupNormalization_21, InstanceNormalization_1, LayerNormalization_17, RMSNormalization_23, LRN_1, LpNormalization_1,
  LpPool_1, MatMul_1, MatMulInteger_10, MaxPool_1, MaxUnpool_9, MeanVarianceNormalization_9,
  QLinearConv_10, QLinearMatMul_10,
  RNN_7, RNN_14, GRU_7, GRU_14, LSTM_7, LSTM_14,
];

// --- shape, data movement, constants, casts ---
import { Cast_1, Cast_6 } from "./cast.js";
import { CastLike_15 } from "./cast-like.js";
import { Concat_1, Concat_4 } from "./concat.js";
import { Constant_1 } from "./constant.js";
import { ConstantOfShape_9 } from "./constant-of-shape.js";
import { Dropout_1, Dropout_7, Dropout_10, Dropout_12 } from "./dropout.js";
import { Expand_8 } from "./expand.js";
import { Flatten_1 } from "./flatten.js";
import { Gather_1 } from "./gather.js";
import { Identity_1 } from "./identity.js";
import { Pad_2, Pad_11, Pad_18, Pad_19 } from "./pad.js";
import { Reshape_1, Reshape_5, Reshape_14 } from "./reshape.js";
import { Shape_1, Shape_15 } from "./shape.js";
import { Size_1 } from "./size.js";
import { Slice_1, Slice_10 } from "./slice.js";
import { Split_1, Split_2, Split_13, Split_18 } from "./split.js";
import { Squeeze_1, Squeeze_13 } from "./squeeze.js";
import { Tile_6 } from "./tile.js";
import { Transpose_1 } from "./transpose.js";
import { Unsqueeze_1, Unsqueeze_13 } from "./unsqueeze.js";
import { Where_9 } from "./where.js";
import { Range_11 } from "./range.js";
import { GatherElements_11 } from "./gather-elements.js";
import { GatherND_11, GatherND_12 } from "./gather-nd.js";
import { DepthToSpace_1, DepthToSpace_11 } from "./depth-to-space.js";
import { SpaceToDepth_1 } from "./space-to-depth.js";
import { Trilu_14 } from "./trilu.js";
import { ScatterND_11, ScatterND_16, ScatterND_18 } from "./scatter-nd.js";
import { Scatter_9, ScatterElements_11, ScatterElements_16, ScatterElements_18 } from "./scatter-elements.js";
import { OneHot_9 } from "./one-hot.js";
import { EyeLike_9 } from "./eye-like.js";
const SHAPE_OPS: OpDef[] = [
  Cast_1, Cast_6, CastLike_15, Concat_1, Concat_4, Constant_1, ConstantOfShape_9, Dropout_1, Dropout_7,
  Dropout_10, Dropout_12, Expand_8, Flatten_1, Gather_1, Identity_1, Pad_2, Pad_11, Pad_18, Pad_19, Reshape_1,
  Reshape_5, Reshape_14, Shape_1, Shape_15, Size_1, Slice_1, Slice_10, Split_1, Split_2, Split_13, Split_18,
  Squeeze_1, Squeeze_13, Tile_6, Transpose_1, Unsqueeze_1, Unsqueeze_13, Where_9, Range_11, GatherElements_11,
  GatherND_11, GatherND_12, DepthToSpace_1, DepthToSpace_11, SpaceToDepth_1, Trilu_14, ScatterND_11, ScatterND_16,
  ScatterND_18, Scatter_9, ScatterElements_11, ScatterElements_16, ScatterElements_18, OneHot_9, EyeLike_9,
];

// --- ONNX-ML (ai.onnx.ml): classical models as skl2onnx and onnxmltools export them ---
import { ArrayFeatureExtractor_1 } from "./ml/array-feature-extractor.js";
import { Binarizer_1 } from "./ml/binarizer.js";
import { LinearClassifier_1 } from "./ml/linear-classifier.js";
import { LinearRegressor_1 } from "./ml/linear-regressor.js";
import { Normalizer_1 } from "./ml/normalizer.js";
import { Scaler_1 } from "./ml/scaler.js";
import { TreeEnsemble_5 } from "./ml/tree-ensemble.js";
import { TreeEnsembleClassifier_1, TreeEnsembleClassifier_3 } from "./ml/tree-ensemble-classifier.js";
import { TreeEnsembleRegressor_1, TreeEnsembleRegressor_3 } from "./ml/tree-ensemble-regressor.js";
const ML_OPS: OpDef[] = [
  ArrayFeatureExtractor_1, Binarizer_1, LinearClassifier_1, LinearRegressor_1, Normalizer_1, Scaler_1, TreeEnsemble_5,
  TreeEnsembleClassifier_1, TreeEnsembleClassifier_3, TreeEnsembleRegressor_1, TreeEnsembleRegressor_3,
];

export const ALL_OPS: readonly OpDef[] = [...MATH_OPS, ...NN_OPS, ...SHAPE_OPS, ...ML_OPS];
