/** Reading a compiled artifacts directory: the manifest and a side-file reader (toolchain/files.ts). */
export { openArtifacts, type ArtifactsDir as Artifacts } from "../toolchain/files.js";
