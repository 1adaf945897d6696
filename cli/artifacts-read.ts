/** Reading a compiled artifacts directory: the manifest and a side-file reader. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ZkcError } from "../compiler/errors.js";
import { type Manifest, parseManifest } from "../runtime/manifest.js";
import { artifactsDir, readJsonFile } from "./artifacts.js";

export interface Artifacts {
  dir: string;
  manifest: Manifest;
  files: (name: string) => Promise<Uint8Array>;
}

export function openArtifacts(dir: string): Artifacts {
  artifactsDir(dir);
  const path = join(dir, "manifest.json");
  const manifest = parseManifest(readJsonFile(path, "manifest"), path);
  const files = async (name: string): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await readFile(join(dir, name)));
    } catch {
      throw new ZkcError("MODEL_FORMAT", `artifact "${name}" is missing`, { file: join(dir, name), hint: "compile the model again (zkc compile)" });
    }
  };
  return { dir, manifest, files };
}
