import type { Command } from "commander";
import { formatWarning, validateConfigFile } from "../../config/validate.js";

export function registerConfigValidate(program: Command): void {
  const config = program.command("config").description("work with config files");
  config
    .command("validate")
    .argument("<file>", "config file to check")
    .description("check a config file without starting fedsim: the checks start-up makes, and warnings")
    .addHelpText(
      "after",
      `
Example:
  fedsim config validate data/petstore.yaml

Warnings (an action no AWS service defines, a Federated principal naming no provider in the config) go to
stderr and do not fail the command. Exit codes: 0 valid (warnings or not), 1 invalid, with each bad field's path.`,
    )
    .action(async (file: string) => {
      // The same checks start-up makes, policies and references included, against a throwaway store.
      const { config, warnings } = await validateConfigFile(file);
      // Warnings (on stderr) do not fail the command: the config is usable as written.
      for (const warning of warnings) console.warn(formatWarning(warning));
      const counts = config.accounts.map(
        (a) => `${a.id}: ${a.users.length} users, ${a.roles.length} roles, ${a.policies.length} policies`,
      );
      console.log(`${file}: valid (${counts.join("; ")})`);
    });
}
