/** Longer than any username a config could sensibly hold. */
export const MAX_USERNAME = 128;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Whether a username typed at a sign-in door could be a configured person's: at most 128 characters, none
 * of them control characters. Checked before the lockout table or the decision log keep anything of it, so
 * unsigned clients cannot fill either with what they send.
 */
export function plausibleUsername(username: string): boolean {
  return username.length <= MAX_USERNAME && !CONTROL.test(username);
}
