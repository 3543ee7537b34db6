export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
}

// The symbols Cognito counts (its documented set), so "Passw0rd!" passes and "Passw0rd\u00e9" does not.
const SYMBOLS = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ");

/** Why a password breaks the pool's policy, in Cognito's words; undefined when it does not. */
export function passwordPolicyViolation(password: string, policy: PasswordPolicy): string | undefined {
  if ([...password].length < policy.MinimumLength) return "Password not long enough";
  if (policy.RequireLowercase && !/[a-z]/.test(password)) return "Password must have lowercase characters";
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) return "Password must have uppercase characters";
  if (policy.RequireNumbers && !/[0-9]/.test(password)) return "Password must have numeric characters";
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.has(c)))
    return "Password must have symbol characters";
  return undefined;
}
