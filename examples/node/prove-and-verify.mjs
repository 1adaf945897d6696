// zkc as a library in Node: compile an ONNX model, prove one inference, verify the proof.
//
//   node prove-and-verify.mjs model.onnx input.json
//
// Uses the package by its name, as a project that installed it (`npm install zkc`) does.
import { compile, prove, verify, terminateWorkers } from "zkc";

const [model, input] = process.argv.slice(2);
if (!model || !input) {
  console.error("usage: node prove-and-verify.mjs model.onnx input.json");
  process.exit(2);
}
try {
  // artifacts in memory; pass `dir: "zkc-out"` to write them as `zkc compile` does
  const artifacts = await compile(model, { calibrate: input, onWarning: (w) => console.error(`warning: ${w.message}`) });
  console.log(`compiled: ${artifacts.manifest.kernels.length} kernel(s): ${artifacts.manifest.kernels.map((k) => `${k.name} (${k.backend})`).join(", ")}`);
  const t0 = performance.now();
  const { proof, outputs, stats } = await prove(artifacts, input);
  console.log(`proved in ${((performance.now() - t0) / 1000).toFixed(2)} s (${stats.kernels.map((k) => `${k.name} ${k.seconds.toFixed(2)} s`).join(", ")})`);
  const result = await verify(artifacts, proof);
  if (!result.ok) {
    console.error(`not verified: ${result.reason}`);
    process.exitCode = 1;
  } else {
    for (const o of result.outputs) {
      const floats = o.floats ?? [];
      console.log(`verified output ${o.onnxName}: [${floats.slice(0, 10).map((v) => v.toFixed(4)).join(", ")}${floats.length > 10 ? ", ..." : ""}]`);
    }
    console.log(`outputs match the prover's: ${JSON.stringify(outputs.map((o) => o.floats)) === JSON.stringify(result.outputs.map((o) => o.floats))}`);
  }
} catch (e) {
  // ZkcError: a message for people, with a stable code
  console.error(`error${e.code ? ` (${e.code})` : ""}: ${e.message}`);
  process.exitCode = 1;
} finally {
  await terminateWorkers();
}
