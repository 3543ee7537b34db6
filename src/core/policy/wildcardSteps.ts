/**
 * The work wildcard matching does, counted in steps: one character compared, or one 32-bit word of a
 * bit-parallel state updated. Tests read the count to show the work is linear (a count, unlike a time, does
 * not depend on the machine); a caller that evaluates policies an attacker wrote against values the attacker
 * chose (the policy simulator) runs under a budget of steps, because a piece with '?' between literal
 * characters still costs up to (value length × piece length / 32).
 *
 * Module state, not a parameter: matching is synchronous and deep inside policy evaluation, and threading a
 * counter through evaluate(), conditions and resources would change every signature for one caller.
 */
let steps = 0;
/** The step count at which the innermost budget runs out; Infinity outside any budget. */
let limit = Number.POSITIVE_INFINITY;
/** The size of the budget that set `limit`, for the error's message. */
let budgetSize = 0;

/** Thrown when matching under withMatchBudget takes more steps than the budget allows. */
export class MatchBudgetExceeded extends Error {
  override readonly name = "MatchBudgetExceeded";
  constructor(readonly budget: number) {
    super(`wildcard matching took more than its budget of ${budget} steps`);
  }
}

/** Counts `n` steps; throws MatchBudgetExceeded once the innermost budget is spent. */
export function charge(n: number): void {
  steps += n;
  if (steps > limit) throw new MatchBudgetExceeded(budgetSize);
}

/** Steps taken since the process started; differences between two reads are what a piece of work cost. */
export function stepsTaken(): number {
  return steps;
}

/**
 * Runs `fn` with at most `maxSteps` steps of wildcard matching (and of compiling patterns, which is linear
 * in their length), throwing MatchBudgetExceeded when they run out. Nested budgets each hold: the tighter
 * one wins. Work is charged after each bounded unit (a linear scan, one candidate's verification, one
 * character of a bit-parallel scan), so the budget is overshot by at most one linear pass over a value.
 * `fn` must be synchronous: the budget ends when it returns.
 */
export function withMatchBudget<T>(maxSteps: number, fn: () => T): T {
  if (!(maxSteps >= 0)) throw new TypeError(`a match budget must be a non-negative number, got ${maxSteps}`);
  const outerLimit = limit;
  const outerSize = budgetSize;
  const mine = steps + maxSteps;
  if (mine < limit) {
    limit = mine;
    budgetSize = maxSteps;
  }
  try {
    const result = fn();
    if (typeof (result as { then?: unknown } | null)?.then === "function")
      throw new TypeError("withMatchBudget runs synchronous work only; the budget would not cover a promise");
    return result;
  } finally {
    limit = outerLimit;
    budgetSize = outerSize;
  }
}
