/** Terminal output: colour only on a TTY (and never with NO_COLOR), padded columns. */

const useColour = () => process.stdout.isTTY === true && !process.env.NO_COLOR;

function paint(code: number, text: string): string {
  return useColour() ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const red = (t: string) => paint(31, t);
export const green = (t: string) => paint(32, t);
export const yellow = (t: string) => paint(33, t);
export const dim = (t: string) => paint(2, t);
export const bold = (t: string) => paint(1, t);

export function decisionColour(decision: string): (t: string) => string {
  return decision === "allow" ? green : decision === "refused" ? yellow : red;
}
