/**
 * TensorProto <-> Tensor. Decoding reads `raw_data` (little-endian, any alignment) or the typed
 * repeated fields; encoding writes either form, so tests can exercise both paths of the decoder.
 */
import { ZkcError, type ZkcErrorDetails } from "../errors.js";
import {
  type DType,
  type Tensor,
  bfloat16BitsToNumber,
  halfBitsToNumber,
  numberToBfloat16Bits,
  numberToHalfBits,
  shapeToString,
  sizeOf,
} from "../ir/tensor.js";
import { dtypeFromOnnx, onnxFromDtype } from "./dtypes.js";
import { onnx, toNumber, type LongLike, type OnnxTypes } from "./proto.js";

/** Bytes per element in raw_data. */
export const ELEMENT_BYTES: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
};

/** Where a tensor came from, for error messages. */
export interface TensorSource {
  /** model or .pb file */
  file?: string;
  /** e.g. `initializer "fc.weight"` */
  what?: string;
  node?: string;
  op?: string;
}

/**
 * Decodes a TensorProto (a decoded message or its serialized bytes, e.g. an ONNX test-case
 * `input_0.pb`) into a Tensor.
 * @throws ZkcError MODEL_FORMAT (bad bytes, data length not matching dims), UNSUPPORTED_DTYPE,
 *   UNSUPPORTED_FEATURE (external data)
 * @example decodeTensorProto(readFileSync("test_data_set_0/input_0.pb"), { file: "input_0.pb" })
 */
export function decodeTensorProto(proto: OnnxTypes.ITensorProto | Uint8Array, src: TensorSource = {}): Tensor {
  let p: OnnxTypes.ITensorProto;
  if (proto instanceof Uint8Array) {
    try {
      p = onnx.TensorProto.decode(proto);
    } catch (e) {
      throw new ZkcError("MODEL_FORMAT", `not a valid serialized TensorProto: ${(e as Error).message}`, {
        file: src.file,
        hint: "the file is truncated or is not an ONNX tensor (.pb) file",
      });
    }
  } else {
    p = proto;
  }
  const what = src.what ?? (p.name ? `tensor "${p.name}"` : "tensor");
  const where: ZkcErrorDetails = { file: src.file, node: src.node, op: src.op };
  const dtype = dtypeFromOnnx(p.dataType ?? 0, what, where);
  if (p.dataLocation === 1) {
    throw new ZkcError("UNSUPPORTED_FEATURE", `${what} stores its data outside the model file (external data)`, {
      ...where,
      hint: 'load and re-save the model as one file: onnx.save_model(onnx.load("model.onnx"), "single.onnx", save_as_external_data=False)',
    });
  }
  if (p.segment) {
    throw new ZkcError("UNSUPPORTED_FEATURE", `${what} is a segment of a larger tensor`, {
      ...where,
      hint: "re-save the model without segmented tensors",
    });
  }
  const shape = (p.dims ?? []).map((d) => toNumber(d as LongLike));
  if (shape.some((d) => d < 0 || !Number.isSafeInteger(d))) {
    throw new ZkcError("MODEL_FORMAT", `${what} has invalid dims ${shapeToString(shape)}`, { ...where, hint: "the model is corrupt; re-export it" });
  }
  const n = sizeOf(shape);
  const lengthError = (field: string, got: number) =>
    new ZkcError("MODEL_FORMAT", `${what}: ${field} does not match its dims ${shapeToString(shape)}`, {
      ...where,
      expected: `${n} elements`,
      got: `${got}`,
      hint: "the model is corrupt or truncated; re-export it",
    });

  const raw = p.rawData;
  if (raw && raw.length > 0) {
    const size = ELEMENT_BYTES[dtype];
    if (raw.length !== n * size) throw lengthError(`raw_data (${size} bytes per element)`, raw.length / size);
    const data = new Float64Array(n);
    // rawData is a view into the whole file buffer: copy to get our own, offset-0 buffer
    const bytes = new Uint8Array(raw);
    const view = new DataView(bytes.buffer);
    readRaw(dtype, view, data);
    return { dtype, shape, data };
  }

  // typed fields: the list length is checked before anything is allocated for n elements
  let out = new Float64Array(0);
  const fromList = (list: ArrayLike<number | LongLike> | null | undefined, field: string, map: (x: number) => number = (x) => x) => {
    const len = list?.length ?? 0;
    if (len !== n) throw lengthError(field, len);
    out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = map(toNumber(list![i] as LongLike));
  };
  switch (dtype) {
    case "float32":
      fromList(p.floatData, "float_data");
      break;
    case "float64":
      fromList(p.doubleData, "double_data");
      break;
    case "int64":
      fromList(p.int64Data as LongLike[], "int64_data");
      break;
    case "uint32":
    case "uint64":
      fromList(p.uint64Data as LongLike[], "uint64_data");
      break;
    case "float16":
      fromList(p.int32Data, "int32_data", (b) => halfBitsToNumber(b & 0xffff));
      break;
    case "bfloat16":
      fromList(p.int32Data, "int32_data", (b) => bfloat16BitsToNumber(b & 0xffff));
      break;
    case "bool":
      fromList(p.int32Data, "int32_data", (b) => (b !== 0 ? 1 : 0));
      break;
    default:
      // int8, uint8, int16, uint16, int32 all live in int32_data
      fromList(p.int32Data, "int32_data");
  }
  return { dtype, shape, data: out };
}

function readRaw(dtype: DType, v: DataView, out: Float64Array): void {
  const n = out.length;
  switch (dtype) {
    case "float32":
      for (let i = 0; i < n; i++) out[i] = v.getFloat32(4 * i, true);
      break;
    case "float64":
      for (let i = 0; i < n; i++) out[i] = v.getFloat64(8 * i, true);
      break;
    case "float16":
      for (let i = 0; i < n; i++) out[i] = halfBitsToNumber(v.getUint16(2 * i, true));
      break;
    case "bfloat16":
      for (let i = 0; i < n; i++) out[i] = bfloat16BitsToNumber(v.getUint16(2 * i, true));
      break;
    case "int8":
      for (let i = 0; i < n; i++) out[i] = v.getInt8(i);
      break;
    case "uint8":
      for (let i = 0; i < n; i++) out[i] = v.getUint8(i);
      break;
    case "bool":
      for (let i = 0; i < n; i++) out[i] = v.getUint8(i) !== 0 ? 1 : 0;
      break;
    case "int16":
      for (let i = 0; i < n; i++) out[i] = v.getInt16(2 * i, true);
      break;
    case "uint16":
      for (let i = 0; i < n; i++) out[i] = v.getUint16(2 * i, true);
      break;
    case "int32":
      for (let i = 0; i < n; i++) out[i] = v.getInt32(4 * i, true);
      break;
    case "uint32":
      for (let i = 0; i < n; i++) out[i] = v.getUint32(4 * i, true);
      break;
    case "int64":
      for (let i = 0; i < n; i++) out[i] = Number(v.getBigInt64(8 * i, true));
      break;
    case "uint64":
      for (let i = 0; i < n; i++) out[i] = Number(v.getBigUint64(8 * i, true));
      break;
  }
}

/** How `encodeTensorProto` writes the values. */
export type TensorEncoding = "raw" | "typed";

/**
 * Encodes a Tensor as a TensorProto message, in raw_data (default) or in the typed fields
 * (float_data, int32_data, int64_data, double_data, uint64_data).
 */
export function encodeTensorProto(t: Tensor, name = "", encoding: TensorEncoding = "raw"): OnnxTypes.ITensorProto {
  const p: OnnxTypes.ITensorProto = { name, dataType: onnxFromDtype(t.dtype), dims: [...t.shape] };
  const n = t.data.length;
  if (encoding === "raw") {
    const bytes = new Uint8Array(n * ELEMENT_BYTES[t.dtype]);
    const v = new DataView(bytes.buffer);
    for (let i = 0; i < n; i++) writeRaw(t.dtype, v, i, t.data[i]!);
    p.rawData = bytes;
    return p;
  }
  const values = Array.from(t.data);
  switch (t.dtype) {
    case "float32":
      p.floatData = values;
      break;
    case "float64":
      p.doubleData = values;
      break;
    case "int64":
      // protobufjs wraps numbers beyond int64: write the clamped value as a decimal string it parses exactly
      p.int64Data = values.map((x) => int64Of(x).toString() as unknown as number);
      break;
    case "uint32":
    case "uint64":
      p.uint64Data = values;
      break;
    case "float16":
      p.int32Data = values.map(numberToHalfBits);
      break;
    case "bfloat16":
      p.int32Data = values.map(numberToBfloat16Bits);
      break;
    default:
      p.int32Data = values;
  }
  return p;
}

function writeRaw(dtype: DType, v: DataView, i: number, x: number): void {
  switch (dtype) {
    case "float32":
      return v.setFloat32(4 * i, x, true);
    case "float64":
      return v.setFloat64(8 * i, x, true);
    case "float16":
      return v.setUint16(2 * i, numberToHalfBits(x), true);
    case "bfloat16":
      return v.setUint16(2 * i, numberToBfloat16Bits(x), true);
    case "int8":
      return v.setInt8(i, x);
    case "uint8":
      return v.setUint8(i, x);
    case "bool":
      return v.setUint8(i, x ? 1 : 0);
    case "int16":
      return v.setInt16(2 * i, x, true);
    case "uint16":
      return v.setUint16(2 * i, x, true);
    case "int32":
      return v.setInt32(4 * i, x, true);
    case "uint32":
      return v.setUint32(4 * i, x, true);
    case "int64":
      return v.setBigInt64(8 * i, int64Of(x), true);
    case "uint64":
      return v.setBigUint64(8 * i, x >= 2 ** 64 ? 2n ** 64n - 1n : BigInt(Math.max(0, Math.trunc(x))), true);
  }
}

/**
 * A float64 holding an int64 as a bigint. Numbers at or beyond +-2^63 (how INT64_MAX/MIN look
 * after decoding to float64) clamp to the int64 range, so they survive a round trip.
 */
function int64Of(x: number): bigint {
  if (x >= 2 ** 63) return 2n ** 63n - 1n;
  if (x <= -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.trunc(x));
}

/** Serialized TensorProto bytes (what ONNX test cases store in `input_N.pb`). */
export function tensorProtoBytes(t: Tensor, name = "", encoding: TensorEncoding = "raw"): Uint8Array {
  return onnx.TensorProto.encode(encodeTensorProto(t, name, encoding)).finish();
}
