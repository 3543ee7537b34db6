import type { Command } from "commander";
export function registerCurl(_program: Command): void {}
