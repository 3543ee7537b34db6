/**
 * jose, imported on the first token verified rather than at start-up: a server whose first callers sign with
 * access keys (most of them) never parses it before it needs it (bench/startup.ts). Kept once loaded.
 */
let loaded: typeof import("jose") | undefined;

export async function jose(): Promise<typeof import("jose")> {
  loaded ??= await import("jose");
  return loaded;
}
