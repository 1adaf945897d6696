import type { CommandModule } from "yargs";
import { calibrateCosts, costModelFile } from "../../toolchain/calibrate-costs.js";

interface Args {
  groth16: boolean;
}

export const calibrateCostsCommand: CommandModule<object, Args> = {
  command: "calibrate-costs",
  describe: "measure this machine's prover speeds for the cost model (stored and reused by compile)",
  builder: (y) => y.option("groth16", { type: "boolean", default: true, describe: "also measure Groth16 (needs a small ptau)" }) as never,
  handler: async (args) => {
    const c = await calibrateCosts({ thorough: args.groth16 });
    console.log(JSON.stringify(c, null, 2));
    console.log(`stored in ${costModelFile()}`);
  },
};
