/** Tags are stored as a JSON array of {Key, Value}, in the order AWS returns them. */
export interface Tag {
  key: string;
  value: string;
}

export function parseTags(json: string): Tag[] {
  return JSON.parse(json) as Tag[];
}

export function serializeTags(tags: readonly Tag[]): string {
  return JSON.stringify(tags.map((t) => ({ key: t.key, value: t.value })));
}
