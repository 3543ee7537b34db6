import { describe, expect, it } from "vitest";
import { consolePage, facts, policyDetails, signedInPage, table } from "../../src/console/layout.js";

describe("the console's page pieces", () => {
  it("pretty-prints a JSON policy and escapes it, and shows one that is not JSON as stored, escaped", () => {
    expect(policyDetails("<b>p</b>", '{"Statement":[{"Sid":"</pre><script>"}]}')).toBe(
      "<details><summary>&lt;b&gt;p&lt;/b&gt;</summary><pre>{\n  &quot;Statement&quot;: [\n    {\n      &quot;Sid&quot;: &quot;&lt;/pre&gt;&lt;script&gt;&quot;\n    }\n  ]\n}</pre></details>",
    );
    expect(policyDetails("p", "not json <x>")).toBe(
      "<details><summary>p</summary><pre>not json &lt;x&gt;</pre></details>",
    );
  });

  it("gives every table a caption and column headers, and says so when it has no rows", () => {
    const html = table({ caption: "Users <all>", head: ["Name", 'A "b"'], rows: [], empty: "None <yet>." });
    expect(html).toContain("<caption>Users &lt;all&gt;</caption>");
    expect(html).toContain('<th scope="col">Name</th><th scope="col">A &quot;b&quot;</th>');
    expect(html).toContain('<td class="empty" colspan="2">None &lt;yet&gt;.</td>');
  });

  it("labels each cell with its column, for the narrow layout", () => {
    const html = table({ caption: "c", head: ["Name"], rows: [["x"]], empty: "" });
    expect(html).toContain('<tr><td data-label="Name">x</td></tr>');
  });

  it("leaves absent facts out", () => {
    expect(
      facts([
        ["A", "1"],
        ["B", undefined],
        ["C", ""],
      ]),
    ).toBe('<dl class="facts"><dt>A</dt><dd>1</dd></dl>');
  });

  it("marks the current section and offers a skip link to the one main landmark", () => {
    const html = consolePage({ title: "Roles <x>", section: "/roles", body: "" });
    expect(html).toContain('<a class="skip" href="#main">Skip to content</a>');
    expect(html).toContain('<a href="/_fedsim/console/roles" aria-current="page">Roles</a>');
    expect(html.match(/<main\b/g)).toHaveLength(1);
    expect(html).toContain("<title>Roles &lt;x&gt; · fedsim console</title>");
    expect(html).not.toContain("<script>");
  });

  it("moves on after ?token= only within the console", () => {
    expect(signedInPage("/_fedsim/console/roles")).toContain('content="0; url=/_fedsim/console/roles"');
    expect(signedInPage("//evil.example/")).toContain('content="0; url=/_fedsim/console"');
  });
});
