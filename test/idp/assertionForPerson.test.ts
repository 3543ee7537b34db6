import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfigFile, parseConfigText } from "../../src/config/load.js";
import { attributesForPerson, findPerson, PersonError } from "../../src/idp/assertionForPerson.js";

const { config } = loadConfigFile("data/petstore.yaml");
const ROLE = "https://aws.amazon.com/SAML/Attributes/Role";
const provider = "arn:aws:iam::123456789012:saml-provider/fedsim-idp";

describe("the built-in IdP's attributes for a person", () => {
  it("pairs each of the person's roles with the built-in provider and names the session after them", () => {
    const attributes = attributesForPerson(config, findPerson(config, "alice"));
    expect(attributes[ROLE]).toEqual([
      `arn:aws:iam::123456789012:role/PetStoreAdmin,${provider}`,
      `arn:aws:iam::123456789012:role/PetStoreCustomer,${provider}`,
    ]);
    expect(attributes["https://aws.amazon.com/SAML/Attributes/RoleSessionName"]).toEqual(["alice"]);
    expect(attributes["https://aws.amazon.com/SAML/Attributes/PrincipalTag:team"]).toEqual(["admins"]);
  });

  it("narrows to one role on request, and refuses a role the person may not take", () => {
    const admin = "arn:aws:iam::123456789012:role/PetStoreAdmin";
    expect(attributesForPerson(config, findPerson(config, "alice"), admin)[ROLE]).toEqual([
      `${admin},${provider}`,
    ]);
    expect(() => attributesForPerson(config, findPerson(config, "bob"), admin)).toThrow(PersonError);
  });

  it("takes the role by name too, as the config lists it", () => {
    expect(attributesForPerson(config, findPerson(config, "alice"), "PetStoreAdmin")[ROLE]).toEqual([
      `arn:aws:iam::123456789012:role/PetStoreAdmin,${provider}`,
    ]);
    expect(() => attributesForPerson(config, findPerson(config, "bob"), "PetStoreAdmin")).toThrow(
      "bob may not assume PetStoreAdmin",
    );
  });

  it("puts the role's path in the ARN of a role named without one, in the Role attribute and for --role", () => {
    const text = readFileSync("data/petstore.yaml", "utf8").replace(
      "      - name: PetStoreCustomer\n",
      "      - name: PetStoreCustomer\n        path: /pets/\n",
    );
    const withPath = parseConfigText(text);
    const customer = `arn:aws:iam::123456789012:role/pets/PetStoreCustomer,${provider}`;
    expect(attributesForPerson(withPath, findPerson(withPath, "bob"))[ROLE]).toEqual([customer]);
    expect(attributesForPerson(withPath, findPerson(withPath, "alice"), "PetStoreCustomer")[ROLE]).toEqual([
      customer,
    ]);
  });

  it("refuses unknown people, naming who is configured", () => {
    expect(() => findPerson(config, "mallory")).toThrow(
      "No person named mallory at the built-in IdP (configured: alice, bob)",
    );
  });
});
