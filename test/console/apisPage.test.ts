import { describe, expect, it } from "vitest";
import { apisPage } from "../../src/console/views/apis.js";

describe("the console's APIs page", () => {
  it("names a module backend and each token route's authorizer and scopes, escaped", () => {
    const html = apisPage({
      apis: [
        {
          id: "orders",
          stages: ["prod"],
          backend: { type: "module", file: "./<handler>.mjs", handler: "handler", invoke: async () => ({}) },
          authorizers: [{ name: "pool", type: "JWT", issuer: "https://issuer.example", audiences: ["web"] }],
          routes: [
            {
              method: "GET",
              path: "/orders",
              authorization: "JWT",
              authorizer: "pool",
              scopes: ["orders/read"],
            },
            { method: "GET", path: "/health", authorization: "NONE" },
          ],
        },
      ],
      publicUrl: "http://127.0.0.1:4566",
      region: "us-east-1",
      defaultAccountId: "123456789012",
    });
    expect(html).toContain("<code>./&lt;handler&gt;.mjs</code> (module, handler <code>handler</code>)");
    expect(html).toContain("JWT (authorizer <code>pool</code>, scopes <code>orders/read</code>)");
    expect(html).toContain("NONE (anyone)");
    expect(html).not.toContain("<handler>");
  });
});
