// The kernel worker when zkc runs from its TypeScript sources (development, tests): register tsx
// in this thread, then load the entry. The package runs dist/runtime/pool/kernel-worker-entry.js.
import { register } from "tsx/esm/api";

register();
const { default: run } = await import("./kernel-worker-entry.ts");
export default run;
