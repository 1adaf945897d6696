/**
 * The project's fixture models (fixtures/*.onnx: MLP, LeNet-style CNN, conv/pool mix, transformer
 * block, MNIST classifier) through zkc's loader and float interpreter against onnxruntime on
 * their sample inputs. Exercises the NN ops inside real graphs with the other teams' ops around them.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { runFloat } from "../../../compiler/float/interpret.js";
import { tensorOf, type Tensor } from "../../../compiler/ir/tensor.js";
import { loadModelBytes } from "../../../compiler/onnx/load.js";
import { closeness } from "./helpers.js";

const FIXTURES = fileURLToPath(new URL("../../../fixtures/", import.meta.url));
const MODELS = ["mlp", "lenet", "ops_conv_pool", "transformer", "mnist"];

describe("fixture models: zkc float interpreter vs onnxruntime", () => {
  for (const name of MODELS) {
    const path = `${FIXTURES}${name}.onnx`;
    it.skipIf(!existsSync(path))(name, async () => {
      const bytes = readFileSync(path);
      const graph = loadModelBytes(bytes, `${name}.onnx`);
      const rows = (JSON.parse(readFileSync(`${FIXTURES}${name}.input.json`, "utf8")) as { input_data: number[][] }).input_data;
      const feeds: Record<string, Tensor> = {};
      const ortFeeds: Record<string, ort.Tensor> = {};
      graph.inputs.forEach((inp, i) => {
        feeds[inp.name] = tensorOf(inp.dtype, inp.shape, rows[i]!);
        ortFeeds[inp.name] = new ort.Tensor("float32", Float32Array.from(rows[i]!), inp.shape);
      });
      const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "disabled" });
      const want = await session.run(ortFeeds);
      await session.release();
      const got = runFloat(graph, feeds);
      for (const o of graph.outputs) {
        const w = want[o.name]!;
        const z = got.get(o.name)!;
        expect(z.shape, o.name).toEqual([...w.dims]);
        expect(closeness(z, { shape: [...w.dims], data: w.data as Float32Array }), o.name).toBe(0);
      }
    });
  }
});
