/** Data-movement lowerings that need more than plain tracing. */
import { scalar } from "../../ir/tensor.js";
import { Attrs, type OpDef } from "../../ops/op.js";
import { quantiseSaturating } from "../builder.js";
import { lowerByTracing } from "../generic.js";
import type { Lower } from "./common.js";

/**
 * Pad: traced with the pad value set to 0 (so padding shows as "no source"); a non-zero constant
 * is then added at the padded positions as a public tensor.
 */
export function lowerPad(def: OpDef): Lower {
  const traced = lowerByTracing(def.run, [0]);
  return (inputs, ctx) => {
    const { q } = ctx;
    let value = 0;
    const node = { ...ctx.node, attrs: { ...ctx.node.attrs } };
    if (node.attrs.value) {
      value = ctx.attrs.float("value", 0);
      node.attrs.value = { type: "float", value: 0 };
    }
    const ins = [...inputs];
    const cv = inputs[2];
    if (cv?.constant) {
      value = cv.constant.data[0] ?? 0;
      ins[2] = { ...cv, constant: scalar(cv.constant.dtype, 0) };
    }
    const [out] = traced(ins, { ...ctx, node, attrs: new Attrs(node, ctx.source) });
    const last = q.prims[q.prims.length - 1];
    if (value === 0 || !last || last.op !== "gather" || last.out !== out!.name) return [out!];
    const fill = new Float64Array(last.idx.length);
    const c = quantiseSaturating(value, out!.scale);
    for (let i = 0; i < fill.length; i++) if (last.idx[i] === -1) fill[i] = c;
    return [q.addT(out!, q.paramInts(`${ctx.node.name}.pad`, out!.shape, fill, out!.scale))];
  };
}
