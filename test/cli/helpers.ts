/** Runs the real `zkc` command in a child process. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ZKC = fileURLToPath(new URL("../../cli/zkc.js", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function zkc(args: string[], cwd: string, timeoutMs = 240_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ZKC, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`zkc ${args.join(" ")} did not finish in ${timeoutMs} ms (the process must exit on its own)\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** A user-facing error is one line starting with "zkc: error:", never a stack trace. */
export function isCleanError(r: Run): boolean {
  const lines = r.stderr.trim().split("\n");
  return lines.some((l) => l.startsWith("zkc: error: ")) && !/\n\s+at .+:\d+:\d+/.test(r.stderr);
}
