/** Where ONNX's node test cases live, relative to the repo root (../shared/onnx-conformance); tests skip when absent. */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CONFORMANCE_NODE_DIR = fileURLToPath(new URL("../../../shared/onnx-conformance/node/", import.meta.url));
export const HAVE_CONFORMANCE = existsSync(CONFORMANCE_NODE_DIR);
