import { DOMParser } from "@xmldom/xmldom";

/**
 * Hardened XML parsing shared by the response verifier and the metadata reader. The checks run
 * on the text before any parser sees it: a DOCTYPE is the only door to XXE, external DTDs and
 * entity expansion (billion laughs), so it is refused outright rather than parsed carefully.
 * `fail` builds the caller's AwsError so each API answers with its own code.
 */
export function parseXmlStrictly(xml: string, fail: (message: string) => Error): Document {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  assertNoDangerousMarkup(text, fail);
  assertTagStructure(text, fail);
  const problems: string[] = [];
  // The first problem ends the parse: the document is refused anyway, and xmldom's recovery from malformed
  // input is where its cost has run away before (assertTagStructure now refuses the known cases first).
  const record = (message: string) => {
    problems.push(String(message).split("\n")[0] ?? "");
    throw new Error("parse abandoned");
  };
  let doc: Document;
  try {
    doc = new DOMParser({
      errorHandler: { warning: record, error: record, fatalError: record },
    }).parseFromString(text, "text/xml");
  } catch (cause) {
    throw fail(`malformed XML (${problems[0] ?? (cause as Error).message.split("\n")[0]})`);
  }
  if (problems.length > 0) throw fail(`malformed XML (${problems[0]})`);
  const root = doc.documentElement;
  if (!root) throw fail("malformed XML (no root element)");
  for (const node of Array.from(doc.childNodes)) {
    if (node.nodeType === 1 && node !== root) throw fail("malformed XML (more than one root element)");
    if (node.nodeType === 3 && (node.nodeValue ?? "").trim() !== "") {
      throw fail("malformed XML (text outside the root element)");
    }
  }
  checkTree(root, fail);
  return doc;
}

/**
 * SAML responses and IdP metadata nest about ten levels deep. Anything far deeper is refused here, before
 * the canonicaliser and the readers (which recurse) see it: ~6,000 levels fit in 100 kB and would
 * otherwise overflow the stack and answer 500 instead of a clean rejection.
 */
export const MAX_XML_DEPTH = 64;

/**
 * Limits no real SAML document comes near, on what makes xmldom's work grow faster than the text: it looks
 * up each new element name from the end of the text (lastIndexOf), and copies every namespace declaration in
 * scope for each element that declares one. 10 MB of metadata (IAM's limit) with 600,000 names, or a
 * declaration on each level, would take hours; with these limits it takes seconds.
 */
export const MAX_XML_ELEMENT_NAMES = 256;
export const MAX_XML_NAMESPACES_IN_SCOPE = 128;

/**
 * One linear pass over the text, before any parser, so that the limits bound xmldom's work instead of being
 * checked after it: a root left open followed by 18,000 elements (75 kB, an anonymous AssumeRoleWithSAML)
 * kept xmldom busy for over ten seconds, each element being appended to the document and refused there.
 * Tags must nest properly (every start tag closed by an end
 * tag of the same name, one root) no deeper than MAX_XML_DEPTH, within the limits above. Comments, CDATA
 * and the XML declaration are skipped whole; a `>` or `/` inside a quoted attribute value is not markup.
 * For a well-formed document this depth is the DOM's, which checkTree confirms after parsing.
 */
function assertTagStructure(text: string, fail: (message: string) => Error): void {
  const open: { name: string; namespaces: number }[] = [];
  const names = new Set<string>();
  let namespacesInScope = 0;
  let rootSeen = false;
  const skipTo = (from: number, end: string, what: string) => {
    const at = text.indexOf(end, from);
    if (at === -1) throw fail(`malformed XML (unterminated ${what})`);
    return at + end.length;
  };
  for (let at = text.indexOf("<"); at !== -1; at = text.indexOf("<", at)) {
    if (text.startsWith("<!--", at)) {
      at = skipTo(at + 4, "-->", "comment");
    } else if (text.startsWith("<![CDATA[", at)) {
      at = skipTo(at + 9, "]]>", "CDATA section");
    } else if (text.startsWith("<?", at)) {
      at = skipTo(at + 2, "?>", "XML declaration");
    } else if (text[at + 1] === "/") {
      const end = skipTo(at + 2, ">", "end tag");
      const name = text.slice(at + 2, end - 1).replace(/[ \t\r\n]+$/, "");
      const element = open.pop();
      if (element?.name !== name) {
        throw fail(
          `malformed XML (end tag </${name.slice(0, 64)}> ${element ? `does not close <${element.name.slice(0, 64)}>` : "closes no element"})`,
        );
      }
      namespacesInScope -= element.namespaces;
      at = end;
    } else {
      let namespaces = 0;
      let quote = "";
      let end = at + 1;
      for (; end < text.length; end++) {
        const c = text[end];
        if (quote) {
          if (c === quote) quote = "";
        } else if (c === '"' || c === "'") {
          quote = c;
        } else if (c === ">") {
          break;
        } else if (/[ \t\r\n]/.test(c!) && /^xmlns[:= \t\r\n]/.test(text.slice(end + 1, end + 7))) {
          namespaces++;
        }
      }
      if (end === text.length) throw fail("malformed XML (unterminated start tag)");
      const name = /^[^ \t\r\n/>]*/.exec(text.slice(at + 1, end))![0];
      if (!name) throw fail("malformed XML (a tag has no element name)");
      if (open.length === 0 && rootSeen) throw fail("malformed XML (more than one root element)");
      rootSeen = true;
      if (open.length >= MAX_XML_DEPTH) {
        throw fail(`elements are nested more than ${MAX_XML_DEPTH} levels deep`);
      }
      if (text[end - 1] !== "/") {
        names.add(name);
        if (names.size > MAX_XML_ELEMENT_NAMES) {
          throw fail(`more than ${MAX_XML_ELEMENT_NAMES} different element names`);
        }
        open.push({ name, namespaces });
      }
      namespacesInScope += namespaces;
      if (namespacesInScope > MAX_XML_NAMESPACES_IN_SCOPE) {
        throw fail(`more than ${MAX_XML_NAMESPACES_IN_SCOPE} namespace declarations in scope`);
      }
      if (text[end - 1] === "/") namespacesInScope -= namespaces;
      at = end + 1;
    }
  }
  if (open.length > 0)
    throw fail(`malformed XML (<${open[open.length - 1]!.name.slice(0, 64)}> is not closed)`);
}

/**
 * One iterative walk: depth limit, and bound prefixes (xmldom tolerates undeclared prefixes; an element
 * nobody can name by namespace is refused).
 */
function checkTree(root: Element, fail: (message: string) => Error): void {
  const stack: [Element, number][] = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [el, depth] = top;
    if (depth > MAX_XML_DEPTH) {
      throw fail(`elements are nested more than ${MAX_XML_DEPTH} levels deep`);
    }
    if (el.prefix && !el.namespaceURI) throw fail(`malformed XML (undeclared namespace prefix ${el.prefix})`);
    for (const attribute of Array.from(el.attributes)) {
      if (attribute.prefix && attribute.prefix !== "xmlns" && !attribute.namespaceURI) {
        throw fail(`malformed XML (undeclared namespace prefix ${attribute.prefix})`);
      }
    }
    for (const child of Array.from(el.childNodes)) {
      if (child.nodeType === 1) stack.push([child as Element, depth + 1]);
    }
  }
}

function assertNoDangerousMarkup(text: string, fail: (message: string) => Error): void {
  // In well-formed XML a raw "<!" or "<?" is always markup (text and attributes must escape "<"),
  // so scanning the text is exact; inside comments it can only over-reject, which is fine.
  for (let at = text.indexOf("<!"); at !== -1; at = text.indexOf("<!", at + 2)) {
    if (text.startsWith("<!--", at) || text.startsWith("<![CDATA[", at)) continue;
    const word = /^<!([A-Za-z]*)/.exec(text.slice(at, at + 12))?.[1] ?? "";
    if (word.toUpperCase() === "DOCTYPE")
      throw fail("DOCTYPE is not allowed (DTDs and entities are refused)");
    throw fail(`markup declaration <!${word} is not allowed`);
  }
  for (let at = text.indexOf("<?"); at !== -1; at = text.indexOf("<?", at + 2)) {
    const isDeclaration = at === 0 && /^<\?xml[ \t\r\n]/.test(text);
    if (!isDeclaration) throw fail("processing instructions are not allowed");
    const declaration = text.slice(0, text.indexOf("?>") + 2);
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1];
    if (encoding !== undefined && !/^(utf-8|us-ascii)$/i.test(encoding)) {
      throw fail(`XML encoding ${encoding} is not supported (UTF-8 only)`);
    }
  }
}
