/** Small namespace-exact DOM readers: no XPath, so nothing matches by local name alone. */

export function isElement(node: Node | null | undefined): node is Element {
  return node !== null && node !== undefined && node.nodeType === 1;
}

export function childElements(parent: Node): Element[] {
  return Array.from(parent.childNodes).filter(isElement);
}

export function children(parent: Node, ns: string, localName: string): Element[] {
  return childElements(parent).filter((el) => el.namespaceURI === ns && el.localName === localName);
}

export function isNamed(el: Element, ns: string, localName: string): boolean {
  return el.namespaceURI === ns && el.localName === localName;
}

/**
 * Every element below (and including) `root`, in document order. An explicit stack, not recursion: the
 * walk must not be the thing a deeply nested document overflows (parseXmlStrictly also caps depth).
 */
export function descendants(root: Node): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (isElement(node)) out.push(node);
    const kids = node.childNodes;
    for (let i = kids.length - 1; i >= 0; i--) {
      const child = kids[i]!;
      if (isElement(child)) stack.push(child);
    }
  }
  return out;
}

/** A non-namespaced attribute, or undefined when absent (getAttribute returns "" or null by DOM version). */
export function attr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? (el.getAttribute(name) ?? "") : undefined;
}

/**
 * The element's full text. textContent concatenates every text node and skips comments, which is
 * what defeats the comment-splitting trick of CVE-2017-11427 even if a comment survived.
 */
export function text(el: Element): string {
  return (el.textContent ?? "").trim();
}
