import type { ApiDefinition } from "../../gateway/apis.js";
import { resourcePolicyText } from "../../gateway/resourcePolicy.js";
import { code, consolePage, e, facts, policyDetails, table } from "../layout.js";

/** The gateway's APIs: stages, backend, routes with their authorization and the URL to call each at. */
export function apisPage(input: {
  apis: readonly ApiDefinition[];
  publicUrl: string;
  region: string;
  defaultAccountId: string;
}): string {
  const cards = input.apis.map((api, i) => {
    const accountId = api.account ?? input.defaultAccountId;
    const stage = api.stages[0] ?? "";
    return `<article class="card" aria-labelledby="api-${i}"><h2 id="api-${i}">${e(api.id)}</h2>
${facts([
  ["Account", code(accountId)],
  ["Stages", api.stages.map(code).join(" ")],
  [
    "Backend",
    api.backend.type === "http"
      ? code(api.backend.url)
      : `${code(api.backend.file)} (module, handler ${code(api.backend.handler)})`,
  ],
  ["CORS", api.cors ? "configured" : "none"],
  ["Base URL", code(`${input.publicUrl}/restapis/${api.id}/${stage}/_user_request_`)],
])}
${
  api.resourcePolicy === undefined
    ? ""
    : policyDetails(
        "Resource policy",
        resourcePolicyText(api.resourcePolicy, { region: input.region, accountId, apiId: api.id }),
      )
}
${table({
  caption: `Routes of ${api.id}`,
  head: ["Method", "Path", "Authorization", `URL (stage ${stage})`],
  rows: api.routes.map((r) => [
    code(r.method),
    code(r.path),
    authorizationText(r),
    code(`${input.publicUrl}/restapis/${api.id}/${stage}/_user_request_${r.path}`),
  ]),
  empty: "No routes.",
})}</article>`;
  });
  return consolePage({
    title: "Gateway APIs",
    section: "/apis",
    body: `<p class="lead">The APIs fedsim's gateway serves: each call is signed, checked against IAM policies and forwarded.</p>${
      cards.length ? cards.join("\n") : `<p class="muted">No APIs configured.</p>`
    }`,
  });
}

function authorizationText(route: ApiDefinition["routes"][number]): string {
  switch (route.authorization) {
    case "AWS_IAM":
      return "AWS_IAM (SigV4, execute-api:Invoke)";
    case "NONE":
      return "NONE (anyone)";
    default: {
      const scopes = route.scopes?.length ? `, scopes ${route.scopes.map(code).join(" ")}` : "";
      return `${route.authorization} (authorizer ${code(route.authorizer ?? "")}${scopes})`;
    }
  }
}
