/**
 * Float-reference tensors. Every numeric dtype is held in a Float64Array (exact for all integers
 * up to 2^53, which covers every value the supported ops produce); the dtype decides rounding
 * (float32 rounding, integer truncation and wrap-around) when a value is stored.
 */

export type DType =
  | "float32"
  | "float64"
  | "float16"
  | "bfloat16"
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64"
  | "bool";

export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** dtype and static shape of a value in the graph, known before anything runs */
export interface ValueInfo {
  name: string;
  dtype: DType;
  shape: number[];
}

export const FLOAT_DTYPES: ReadonlySet<DType> = new Set(["float32", "float64", "float16", "bfloat16"]);

export function isFloat(dtype: DType): boolean {
  return FLOAT_DTYPES.has(dtype);
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

const INT_RANGES: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/** Rounds/truncates/wraps a float64 to what the dtype can hold (ONNX/numpy cast semantics). */
export function storeAs(dtype: DType, x: number): number {
  switch (dtype) {
    case "float64":
      return x;
    case "float32":
    case "float16":
    case "bfloat16":
      return Math.fround(x);
    case "bool":
      return x !== 0 && !Number.isNaN(x) ? 1 : 0;
    case "int64":
    case "uint64":
      return Number.isFinite(x) ? Math.trunc(x) : 0;
    default: {
      const range = INT_RANGES[dtype]!;
      if (!Number.isFinite(x)) return 0;
      const t = Math.trunc(x);
      const span = range[1] - range[0] + 1;
      let w = (t - range[0]) % span;
      if (w < 0) w += span;
      return w + range[0];
    }
  }
}

/** A tensor from data already in range for the dtype (no copy). */
export function tensor(dtype: DType, shape: readonly number[], data: Float64Array | number[]): Tensor {
  const arr = data instanceof Float64Array ? data : Float64Array.from(data);
  if (arr.length !== sizeOf(shape)) {
    throw new RangeError(`tensor: ${arr.length} values do not fill shape [${shape.join(", ")}]`);
  }
  return { dtype, shape: [...shape], data: arr };
}

/** A tensor whose values are rounded to the dtype first. */
export function tensorOf(dtype: DType, shape: readonly number[], values: ArrayLike<number>): Tensor {
  const arr = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) arr[i] = storeAs(dtype, values[i]!);
  return tensor(dtype, shape, arr);
}

export function scalar(dtype: DType, x: number): Tensor {
  return tensorOf(dtype, [], [x]);
}

export function zeros(dtype: DType, shape: readonly number[]): Tensor {
  return tensor(dtype, shape, new Float64Array(sizeOf(shape)));
}

export function shapeToString(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
