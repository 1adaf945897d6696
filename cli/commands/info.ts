import type { CommandModule } from "yargs";
import { loadModel } from "../model-input.js";

interface Args {
  model: string;
  "input-shape"?: string[];
}

export const infoCommand: CommandModule<object, Args> = {
  command: "info <model>",
  describe: "load an ONNX model and print its inputs, outputs and ops",
  builder: (y) =>
    y
      .positional("model", { type: "string", demandOption: true, describe: "path to model.onnx" })
      .option("input-shape", { type: "string", array: true, describe: "fix a symbolic input shape: NAME=D1,D2,..." }) as never,
  handler: (args) => {
    const graph = loadModel(args.model, args["input-shape"]);
    const fmt = (v: { name: string; dtype: string; shape: number[] }) => `  ${v.name}: ${v.dtype} [${v.shape.join(", ")}]`;
    const counts = new Map<string, number>();
    for (const n of graph.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
    const domains = Object.entries(graph.opsets ?? {}).map(([d, v]) => `, ${d} ${v}`).join("");
    console.log(`model ${args.model} (opset ${graph.opset}${domains})`);
    console.log("inputs:\n" + graph.inputs.map(fmt).join("\n"));
    console.log("outputs:\n" + graph.outputs.map(fmt).join("\n"));
    console.log("ops:\n" + [...counts].map(([op, c]) => `  ${op} x${c}`).join("\n"));
    for (const w of graph.warnings) console.error(`warning: ${w}`);
  },
};
