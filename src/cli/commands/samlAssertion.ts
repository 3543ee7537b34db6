import type { Command } from "commander";
import { loadConfigFile } from "../../config/load.js";
import { seconds } from "../defaults.js";
import { defaultConfig, stateFolder } from "../home.js";

export function registerSamlAssertion(program: Command): void {
  const saml = program.command("saml").description("the built-in SAML test IdP");
  saml
    .command("assertion")
    .description(
      "print a base64 SAML Response for a person, signed by the built-in IdP (for aws sts assume-role-with-saml)",
    )
    .requiredOption("-u, --user <username>", "a person from identityProvider.people in the config")
    .option(
      "-r, --role <name-or-arn>",
      "include only this role, by name (PetStoreAdmin) or ARN (default: every role the person may assume)",
    )
    .option(
      "-e, --expires-in <seconds>",
      "validity of the assertion's conditions, in seconds; STS still requires it to be redeemed within 5 minutes of issuance, as AWS does",
      seconds,
      300,
    )
    .option("-c, --config <file>", "config file (default: the pet-store demo)")
    .option("--home <dir>", "fedsim's state folder, as for fedsim start")
    .option("--certs <dir>", "where the built-in IdP's keys live (default: certs/ in the state folder)")
    .addHelpText(
      "after",
      `
Example:
  aws sts assume-role-with-saml --role-arn arn:aws:iam::123456789012:role/PetStoreAdmin \\
    --principal-arn arn:aws:iam::123456789012:saml-provider/fedsim-idp \\
    --saml-assertion "$(fedsim saml assertion --user alice --role PetStoreAdmin)"

Exit codes: 0 printed, 1 unknown person or role, or an invalid config.`,
    )
    .action(
      async (opts: {
        user: string;
        role?: string;
        expiresIn: number;
        config?: string;
        home?: string;
        certs?: string;
      }) => {
        const { loadOrCreateIdpKeys } = await import("../../idp/keys.js");
        const { findPerson, mintAssertion } = await import("../../idp/assertionForPerson.js");
        const { config } = loadConfigFile(opts.config ?? defaultConfig());
        const now = new Date();
        const keys = await loadOrCreateIdpKeys(stateFolder(opts).certs, now);
        const person = findPerson(config, opts.user);
        process.stdout.write(
          `${mintAssertion({ config, person, keys, now, validForSeconds: opts.expiresIn, role: opts.role })}\n`,
        );
      },
    );
}
