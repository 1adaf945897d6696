/**
 * Large model structures for measuring the float path (issue 17): SqueezeNet-1.1-like and
 * ResNet-18-like graphs at 1x3x224x224 with seeded random weights, built with the fixture
 * builder. Not fixtures (tens of MB of weights); scripts/bench-float.ts builds them on the fly.
 */
import { ModelBuilder, int, ints } from "../fixtures/lib/onnx-builder.js";
import { Rng, heUniform, smallBias } from "../fixtures/lib/rng.js";

export interface LargeModel {
  name: string;
  bytes: Uint8Array;
  inputShape: number[];
  /** multiply-accumulates of the convolutions and Gemms */
  macs: number;
}

class Net {
  readonly b: ModelBuilder;
  readonly rng: Rng;
  macs = 0;
  private k = 0;
  constructor(readonly name: string, seed: number) {
    this.b = new ModelBuilder(name, 17, `zkc bench model ${name}, seeded random weights`);
    this.rng = new Rng(seed);
  }
  conv(x: string, cin: number, cout: number, k: number, hw: number, opts: { stride?: number; pad?: number; group?: number; bias?: boolean } = {}): [string, number] {
    const { stride = 1, pad = 0, group = 1, bias = true } = opts;
    const id = this.k++;
    const fanIn = (cin / group) * k * k;
    const w = this.b.floats(`conv${id}.weight`, [cout, cin / group, k, k], heUniform(this.rng, cout * fanIn, fanIn));
    const inputs = [x, w];
    if (bias) inputs.push(this.b.floats(`conv${id}.bias`, [cout], smallBias(this.rng, cout)));
    const out = Math.floor((hw + 2 * pad - k) / stride) + 1;
    this.macs += cout * out * out * fanIn;
    const y = this.b.op("Conv", inputs, { kernel_shape: ints([k, k]), pads: ints([pad, pad, pad, pad]), strides: ints([stride, stride]), group: int(group) });
    return [y, out];
  }
  bn(x: string, c: number): string {
    const id = this.k++;
    const f = (name: string, lo: number, hi: number) => this.b.floats(`bn${id}.${name}`, [c], this.rng.uniformArray(c, lo, hi));
    return this.b.op("BatchNormalization", [x, f("scale", 0.8, 1.2), f("bias", -0.1, 0.1), f("mean", -0.1, 0.1), f("var", 0.8, 1.2)]);
  }
  relu(x: string): string {
    return this.b.op("Relu", [x]);
  }
}

/** SqueezeNet 1.1 structure: 3x3/2 stem, 8 fire modules, 1x1 classifier, global average pool. */
export function squeezenet(): LargeModel {
  const n = new Net("squeezenet", 0x5e2e);
  const b = n.b;
  let x = b.input("input", "float32", [1, 3, 224, 224]);
  let hw: number;
  [x, hw] = n.conv(x, 3, 64, 3, 224, { stride: 2 });
  x = n.relu(x);
  const pool = (src: string) => {
    hw = Math.ceil((hw - 3) / 2) + 1;
    return b.op("MaxPool", [src], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), ceil_mode: int(1) });
  };
  x = pool(x);
  let c = 64;
  const fire = (src: string, s: number, e: number): string => {
    const [sq] = n.conv(src, c, s, 1, hw);
    const sr = n.relu(sq);
    const [e1] = n.conv(sr, s, e, 1, hw);
    const [e3] = n.conv(sr, s, e, 3, hw, { pad: 1 });
    c = 2 * e;
    return b.op("Concat", [n.relu(e1), n.relu(e3)], { axis: int(1) });
  };
  x = fire(x, 16, 64);
  x = fire(x, 16, 64);
  x = pool(x);
  x = fire(x, 32, 128);
  x = fire(x, 32, 128);
  x = pool(x);
  x = fire(x, 48, 192);
  x = fire(x, 48, 192);
  x = fire(x, 64, 256);
  x = fire(x, 64, 256);
  [x] = n.conv(x, c, 1000, 1, hw);
  x = b.op("GlobalAveragePool", [n.relu(x)]);
  const y = b.op("Flatten", [x], { axis: int(1) }, "output");
  b.output(y, "float32", [1, 1000]);
  return { name: "squeezenet", bytes: b.encode(), inputShape: [1, 3, 224, 224], macs: n.macs };
}

/** The ResNet stem on a 1x3x224x224 input: 7x7/2 conv, BatchNorm, ReLU, 3x3/2 max pool (64 x 56x56). */
function resnetStem(n: Net): string {
  const b = n.b;
  const [x] = n.conv(b.input("input", "float32", [1, 3, 224, 224]), 3, 64, 7, 224, { stride: 2, pad: 3, bias: false });
  return b.op("MaxPool", [n.relu(n.bn(x, 64))], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) });
}

/** The ResNet head: global average pool, flatten, Gemm to 1000 classes. */
function resnetHead(n: Net, x: string, features: number): LargeModel {
  const b = n.b;
  const flat = b.op("Flatten", [b.op("GlobalAveragePool", [x])], { axis: int(1) });
  const w = b.floats("fc.weight", [1000, features], heUniform(n.rng, 1000 * features, features));
  const bias = b.floats("fc.bias", [1000], smallBias(n.rng, 1000));
  n.macs += 1000 * features;
  b.output(b.op("Gemm", [flat, w, bias], { transB: int(1) }, "output"), "float32", [1, 1000]);
  return { name: n.name, bytes: b.encode(), inputShape: [1, 3, 224, 224], macs: n.macs };
}

/** ResNet-18 structure: 7x7/2 stem, BatchNorm, 8 basic blocks, global average pool, Gemm 1000. */
export function resnet18(): LargeModel {
  const n = new Net("resnet18", 0x2e5);
  const b = n.b;
  let x = resnetStem(n);
  let hw = 56;
  let c = 64;
  const block = (src: string, cout: number, stride: number): string => {
    const [a, ohw] = n.conv(src, c, cout, 3, hw, { stride, pad: 1, bias: false });
    const [a2] = n.conv(n.relu(n.bn(a, cout)), cout, cout, 3, ohw, { pad: 1, bias: false });
    let skip = src;
    if (stride !== 1 || cout !== c) [skip] = n.conv(src, c, cout, 1, hw, { stride, bias: false });
    hw = ohw;
    c = cout;
    return n.relu(b.op("Add", [n.bn(a2, cout), skip]));
  };
  for (const [cout, stride] of [[64, 1], [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1]] as const) x = block(x, cout, stride);
  return resnetHead(n, x, 512);
}

/** ResNet-50 structure: 7x7/2 stem, 16 bottleneck blocks (1x1, 3x3, 1x1 with BatchNorm), Gemm 1000. */
export function resnet50(): LargeModel {
  const n = new Net("resnet50", 0x5e50);
  const b = n.b;
  let x = resnetStem(n);
  let hw = 56;
  let c = 64;
  const block = (src: string, mid: number, stride: number): string => {
    const cout = mid * 4;
    const [a] = n.conv(src, c, mid, 1, hw, { bias: false });
    const [a2, ohw] = n.conv(n.relu(n.bn(a, mid)), mid, mid, 3, hw, { stride, pad: 1, bias: false });
    const [a3] = n.conv(n.relu(n.bn(a2, mid)), mid, cout, 1, ohw, { bias: false });
    let skip = src;
    if (stride !== 1 || cout !== c) [skip] = n.conv(src, c, cout, 1, hw, { stride, bias: false });
    hw = ohw;
    c = cout;
    return n.relu(b.op("Add", [n.bn(a3, cout), skip]));
  };
  for (const [mid, count, stride] of [[64, 3, 1], [128, 4, 2], [256, 6, 2], [512, 3, 2]] as const) {
    for (let i = 0; i < count; i++) x = block(x, mid, i === 0 ? stride : 1);
  }
  return resnetHead(n, x, 2048);
}
