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
      return Math.fround(x);
    case "float16":
      return halfBitsToNumber(numberToHalfBits(x));
    case "bfloat16":
      return bfloat16BitsToNumber(numberToBfloat16Bits(x));
    case "bool":
      return x !== 0 && !Number.isNaN(x) ? 1 : 0;
    case "int64":
    case "uint64":
      return Number.isFinite(x) ? Math.trunc(x) + 0 : 0; // + 0 turns -0 into 0: integers have no sign of zero
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

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits (as a uint16) to the number they encode. */
export function halfBitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** A number to IEEE half-precision bits, rounding to nearest even (overflow gives infinity). */
export function numberToHalfBits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -24 * 0.5) return sign; // rounds to zero (exact half rounds to even = 0)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; // guard log2 rounding
  if (e < -14) {
    // subnormal: units of 2^-24
    const m = roundHalfEven(a / 2 ** -24);
    return sign | m; // m == 1024 carries into the smallest normal, which is the right encoding
  }
  let m = roundHalfEven((a / 2 ** e - 1) * 1024);
  if (m === 1024) {
    m = 0;
    e++;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | m;
}

/** bfloat16 bits (the high half of a float32) to the number they encode. */
export function bfloat16BitsToNumber(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}

/** A number to bfloat16 bits, rounding the float32 value to nearest even. */
export function numberToBfloat16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7fc0;
  f32[0] = x;
  const bits = u32[0]!;
  const rounded = bits + 0x7fff + ((bits >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
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
