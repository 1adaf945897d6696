/**
 * ONNX TensorProto.DataType codes <-> zkc dtypes. Codes zkc cannot represent (string, complex,
 * float8, 4- and 2-bit kinds) map to UNSUPPORTED_DTYPE errors naming where the value came from.
 */
import { ZkcError, type ZkcErrorDetails } from "../errors.js";
import type { DType } from "../ir/tensor.js";

const BY_CODE: ReadonlyMap<number, DType> = new Map<number, DType>([
  [1, "float32"],
  [2, "uint8"],
  [3, "int8"],
  [4, "uint16"],
  [5, "int16"],
  [6, "int32"],
  [7, "int64"],
  [9, "bool"],
  [10, "float16"],
  [11, "float64"],
  [12, "uint32"],
  [13, "uint64"],
  [16, "bfloat16"],
]);

const CODE_OF: ReadonlyMap<DType, number> = new Map([...BY_CODE].map(([c, d]) => [d, c]));

/** Names of ONNX data types, including the ones zkc rejects, for error messages. */
const ONNX_NAMES: Record<number, string> = {
  0: "UNDEFINED",
  1: "FLOAT",
  2: "UINT8",
  3: "INT8",
  4: "UINT16",
  5: "INT16",
  6: "INT32",
  7: "INT64",
  8: "STRING",
  9: "BOOL",
  10: "FLOAT16",
  11: "DOUBLE",
  12: "UINT32",
  13: "UINT64",
  14: "COMPLEX64",
  15: "COMPLEX128",
  16: "BFLOAT16",
  17: "FLOAT8E4M3FN",
  18: "FLOAT8E4M3FNUZ",
  19: "FLOAT8E5M2",
  20: "FLOAT8E5M2FNUZ",
  21: "UINT4",
  22: "INT4",
  23: "FLOAT4E2M1",
  24: "FLOAT8E8M0",
  25: "UINT2",
  26: "INT2",
};

/** Human name of an ONNX data type code ("FLOAT", "STRING", or "code 99"). */
export function onnxTypeName(code: number): string {
  return ONNX_NAMES[code] ?? `code ${code}`;
}

/**
 * The zkc dtype for an ONNX data type code.
 * @throws ZkcError UNSUPPORTED_DTYPE for string, complex, float8, 4-bit and unknown codes
 */
export function dtypeFromOnnx(code: number, what: string, details: ZkcErrorDetails = {}): DType {
  const d = BY_CODE.get(code);
  if (d) return d;
  throw new ZkcError("UNSUPPORTED_DTYPE", `${what} has data type ${onnxTypeName(code)}, which zkc does not support`, {
    ...details,
    expected: "a numeric or bool type (FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8..INT64, UINT8..UINT64, BOOL)",
    got: onnxTypeName(code),
    hint: "zkc proves numeric tensors only; cast or remove this tensor before export",
  });
}

/** The ONNX data type code of a zkc dtype. */
export function onnxFromDtype(dtype: DType): number {
  return CODE_OF.get(dtype)!;
}

/** Parses an ONNX type name as written in Cast-1's string `to` attribute ("FLOAT", "INT64"). */
export function onnxCodeFromName(name: string): number | undefined {
  const upper = name.toUpperCase();
  for (const [code, n] of Object.entries(ONNX_NAMES)) if (n === upper) return Number(code);
  return undefined;
}
