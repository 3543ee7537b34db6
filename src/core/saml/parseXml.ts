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
  const problems: string[] = [];
  const record = (message: string) => {
    problems.push(String(message).split("\n")[0] ?? "");
  };
  let doc: Document;
  try {
    doc = new DOMParser({
      errorHandler: { warning: record, error: record, fatalError: record },
    }).parseFromString(text, "text/xml");
  } catch (cause) {
    throw fail(`malformed XML (${(cause as Error).message.split("\n")[0]})`);
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
