#!/usr/bin/env node
// Entry point of the `zkc` command: loads the TypeScript sources through tsx, so no build step
// stands between `npm install` and a working command.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
