import { isIP } from "node:net";

/**
 * CIDR matching for IpAddress/NotIpAddress, IPv4 and IPv6. The policy's block is parsed once; addresses are
 * compared as 16-bit groups, so no per-request allocation beyond parsing the request's address. An
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) is checked as IPv4, as a dual-stack socket reports it.
 */
export function cidrMatcher(cidr: string): (address: string) => boolean {
  const [text, bits] = cidr.trim().split("/");
  const block = parseAddress(text ?? "");
  if (!block) return () => false;
  const width = block.length * 16;
  // A block written IPv4-mapped (::ffff:10.1.2.0/120) is parsed as IPv4: its prefix counts 96 bits fewer.
  const mapped = block.length === 2 && isIP(text ?? "") === 6;
  const prefix = bits === undefined ? width : Number(bits) - (mapped ? 96 : 0);
  if (!/^\d+$/.test(bits ?? "0") || prefix < 0 || prefix > width) return () => false;
  return (address) => {
    const value = parseAddress(address);
    if (!value || value.length !== block.length) return false;
    let remaining = prefix;
    for (let i = 0; i < block.length && remaining > 0; i++) {
      const take = Math.min(16, remaining);
      const mask = (0xffff << (16 - take)) & 0xffff;
      if ((value[i]! & mask) !== (block[i]! & mask)) return false;
      remaining -= take;
    }
    return true;
  };
}

// One request checks its source address against several blocks; remember the last one parsed.
let lastText: string | undefined;
let lastGroups: number[] | undefined;

/** IPv4 → 2 groups of 16 bits; IPv6 → 8 groups; IPv4-mapped IPv6 → IPv4. undefined when not an address. */
export function parseAddress(text: string): number[] | undefined {
  if (text === lastText) return lastGroups;
  lastGroups = parseUncached(text);
  lastText = text;
  return lastGroups;
}

function parseUncached(text: string): number[] | undefined {
  const family = isIP(text);
  if (family === 4) return ipv4Groups(text);
  if (family !== 6) return undefined;
  const lower = text.toLowerCase();
  if (lower.startsWith("::ffff:") && isIP(lower.slice(7)) === 4) return ipv4Groups(lower.slice(7));
  const [head, tail] = lower.includes("::") ? lower.split("::") : [lower, undefined];
  const parse = (part: string | undefined) => (part ? part.split(":") : []);
  let left = parse(head);
  let right = parse(tail);
  // A trailing dotted quad (e.g. 64:ff9b::1.2.3.4) stands for two groups.
  const expand = (groups: string[]) => {
    const last = groups.at(-1);
    if (last?.includes(".")) {
      const [a, b] = ipv4Groups(last);
      return [...groups.slice(0, -1), a!.toString(16), b!.toString(16)];
    }
    return groups;
  };
  left = expand(left);
  right = expand(right);
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(missing).fill("0"), ...right];
  if (groups.length !== 8) return undefined;
  const numbers = groups.map((g) => Number.parseInt(g || "0", 16));
  // ::ffff:a01:203 is ::ffff:10.1.2.3 written in hex: the same IPv4-mapped address.
  const mapped = numbers.slice(0, 5).every((n) => n === 0) && numbers[5] === 0xffff;
  return mapped ? numbers.slice(6) : numbers;
}

function ipv4Groups(text: string): number[] {
  const [a, b, c, d] = text.split(".").map(Number) as [number, number, number, number];
  return [(a << 8) | b, (c << 8) | d];
}
