/**
 * zkc's own version, read from the package.json that ships with this code. It is found from this
 * module's location, not from the working directory: run inside another project, `zkc --version`
 * must not print that project's version. The file sits one level up from the sources (cli/) and
 * two levels up from the compiled code (dist/cli/).
 */
import { readFileSync } from "node:fs";

export function zkcVersion(): string {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "zkc" && pkg.version) return pkg.version;
    } catch {
      // not there: try the next level
    }
  }
  return "unknown";
}
