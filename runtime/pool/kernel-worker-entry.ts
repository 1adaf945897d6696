/**
 * Entry of a kernel worker thread. snarkjs and ffjavascript load the `web-worker` polyfill, which
 * takes any non-main thread for one of its own web workers and fails there; a kernel worker is a
 * coordinator of its own (it may start snarkjs's threads), so it tells the polyfill so before
 * anything loads it, then loads the worker.
 */
import threads from "node:worker_threads";

(threads as { isMainThread: boolean }).isMainThread = true;
const { default: run } = await import("./kernel-worker.js");
export default run;
