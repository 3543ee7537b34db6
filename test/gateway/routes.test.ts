import { describe, expect, it } from "vitest";
import { compileRoutes, matchRoute, type RouteDefinition } from "../../src/gateway/routes.js";
import { parseRouteTemplate, templateShape } from "../../src/gateway/routeTemplate.js";

const routes = (defs: [RouteDefinition["method"], string][]) =>
  compileRoutes(defs.map(([method, path]) => ({ method, path, authorization: "AWS_IAM" })));
const segs = (path: string) => (path === "/" ? [] : path.slice(1).split("/"));
const match = (defs: [RouteDefinition["method"], string][], method: string, path: string) => {
  const r = matchRoute(routes(defs), method, segs(path));
  return r && `${r.method} ${r.template.text}`;
};

describe("route templates", () => {
  it("parses literals, parameters and a trailing greedy parameter", () => {
    expect(parseRouteTemplate("/pets/{petId}/toys/{proxy+}")).toEqual({
      text: "/pets/{petId}/toys/{proxy+}",
      segments: [
        { kind: "literal", text: "pets" },
        { kind: "param", name: "petId" },
        { kind: "literal", text: "toys" },
        { kind: "greedy", name: "proxy" },
      ],
    });
    expect(parseRouteTemplate("/")).toEqual({ text: "/", segments: [] });
  });

  it.each([
    ["pets", "a route path starts with /"],
    ["/pets/", "a route path has no empty segments (// or a trailing /)"],
    ["/a//b", "a route path has no empty segments (// or a trailing /)"],
    ["/{proxy+}/more", "the greedy parameter {proxy+} must be the last segment"],
    ["/{id}/{id}", "the path parameter {id} appears twice"],
    ["/a/../b", "a route path has no . or .. segments"],
    [
      "/a%2Fb",
      "the segment 'a%2Fb' is neither a literal (letters, digits and ._~!$&'()*+,;=:@-) nor a {parameter}",
    ],
    [
      "/{bad-name}",
      "the segment '{bad-name}' is neither a literal (letters, digits and ._~!$&'()*+,;=:@-) nor a {parameter}",
    ],
  ])("refuses the template %s", (text, reason) => {
    expect(parseRouteTemplate(text)).toBe(reason);
  });

  it("gives two templates that differ only in parameter names the same shape", () => {
    const shape = (t: string) =>
      templateShape(parseRouteTemplate(t) as Exclude<ReturnType<typeof parseRouteTemplate>, string>);
    expect(shape("/pets/{petId}")).toBe(shape("/pets/{id}"));
    expect(shape("/pets/{id}")).not.toBe(shape("/pets/{id+}"));
  });
});

describe("route matching", () => {
  const api: [RouteDefinition["method"], string][] = [
    ["GET", "/pets"],
    ["GET", "/pets/{petId}"],
    ["POST", "/pets"],
    ["ANY", "/pets/{petId}"],
    ["GET", "/pets/mine"],
    ["ANY", "/files/{proxy+}"],
    ["GET", "/{proxy+}"],
  ];

  it("prefers a literal segment over a parameter, and a parameter over a greedy one", () => {
    expect(match(api, "GET", "/pets/mine")).toBe("GET /pets/mine");
    expect(match(api, "GET", "/pets/7")).toBe("GET /pets/{petId}");
    expect(match(api, "GET", "/pets")).toBe("GET /pets");
    expect(match(api, "GET", "/other/thing")).toBe("GET /{proxy+}");
  });

  it("prefers the route naming the method over ANY on the same path, and falls back to ANY", () => {
    expect(match(api, "GET", "/pets/7")).toBe("GET /pets/{petId}");
    expect(match(api, "DELETE", "/pets/7")).toBe("ANY /pets/{petId}");
  });

  it("lets a greedy parameter take one segment or more, never none", () => {
    expect(match(api, "PUT", "/files/a/b/c")).toBe("ANY /files/{proxy+}");
    expect(match(api, "PUT", "/files/a")).toBe("ANY /files/{proxy+}");
    expect(match(api, "PUT", "/files")).toBeUndefined();
    expect(match([["GET", "/{proxy+}"]], "GET", "/")).toBeUndefined();
  });

  it("matches nothing for an unknown method or path", () => {
    expect(match(api, "DELETE", "/pets")).toBeUndefined();
    expect(match([["GET", "/pets"]], "GET", "/pets/1")).toBeUndefined();
    expect(match([["GET", "/pets/{id}"]], "GET", "/pets")).toBeUndefined();
  });

  it("matches the root only with a root route", () => {
    expect(
      match(
        [
          ["GET", "/"],
          ["GET", "/pets"],
        ],
        "GET",
        "/",
      ),
    ).toBe("GET /");
  });

  it("compares decoded segments with literals exactly (case included)", () => {
    expect(match([["GET", "/Pets"]], "GET", "/pets")).toBeUndefined();
    expect(match([["GET", "/a:b"]], "GET", "/a:b")).toBe("GET /a:b");
  });

  it("is linear: a thousand routes and a long path match quickly", () => {
    const many = Array.from(
      { length: 1000 },
      (_, i) => ["GET", `/r${i}/{a}/{b}/{c}`] as [RouteDefinition["method"], string],
    );
    many.push(["GET", "/{proxy+}"]);
    const compiled = routes(many);
    const long = Array.from({ length: 5000 }, () => "x");
    const started = performance.now();
    expect(matchRoute(compiled, "GET", long)?.template.text).toBe("/{proxy+}");
    expect(performance.now() - started).toBeLessThan(200);
  });
});
