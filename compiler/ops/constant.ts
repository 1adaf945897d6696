/**
 * Constant: a tensor from exactly one of value, sparse_value (densified by the frontend),
 * value_float(s), value_int(s). String constants are rejected.
 */
import { ZkcError } from "../errors.js";
import { type Tensor, tensorOf } from "../ir/tensor.js";
import { type OpContext, type OpDef, unsupported } from "./op.js";

const KINDS = ["value", "sparse_value", "value_float", "value_floats", "value_int", "value_ints", "value_string", "value_strings"];

function constantValue(ctx: OpContext): Tensor {
  const present = KINDS.filter((k) => ctx.attrs.has(k));
  if (present.length !== 1) {
    throw new ZkcError("ATTRIBUTE", "Constant needs exactly one value attribute", {
      file: ctx.source,
      node: ctx.node.name,
      op: ctx.node.opType,
      expected: `one of ${KINDS.join(", ")}`,
      got: present.length ? present.join(", ") : "none",
      hint: "the model is malformed; re-export it",
    });
  }
  const a = ctx.attrs;
  switch (present[0]) {
    case "value":
    case "sparse_value":
      return a.tensor(present[0]!);
    case "value_float":
      return tensorOf("float32", [], [a.float("value_float")]);
    case "value_floats": {
      const v = a.floats("value_floats");
      return tensorOf("float32", [v.length], v);
    }
    case "value_int":
      return tensorOf("int64", [], [a.int("value_int")]);
    case "value_ints": {
      const v = a.ints("value_ints");
      return tensorOf("int64", [v.length], v);
    }
    default:
      throw unsupported(ctx, "string constants are not supported", "zkc proves numeric tensors only; remove string constants before export");
  }
}

export const Constant_1: OpDef = {
  opType: "Constant",
  sinceVersion: 1,
  infer(_inputs, ctx) {
    const t = constantValue(ctx);
    return [{ dtype: t.dtype, shape: [...t.shape] }];
  },
  run(_inputs, ctx) {
    return [constantValue(ctx)];
  },
};
