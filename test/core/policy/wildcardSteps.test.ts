import { describe, expect, it } from "vitest";
import {
  MatchBudgetExceeded,
  wildcardComparisons,
  wildcardMatcher,
  withMatchBudget,
} from "../../../src/core/policy/wildcard.js";

// A piece with '?' between literal characters, against a value that holds every prefix of it: about
// 10,000 × 32 steps of shift-and.
const HEAVY = `*${"a?".repeat(500)}b*`;
const VALUE = "a".repeat(10_000);
const HEAVY_STEPS = wildcardComparisons(HEAVY, VALUE).comparisons;

describe("matching under a budget of steps", () => {
  it("returns what the work returns when it fits the budget", () => {
    const matcher = wildcardMatcher(HEAVY, false);
    expect(withMatchBudget(2 * HEAVY_STEPS, () => matcher.test(VALUE))).toBe(false);
    expect(withMatchBudget(2 * HEAVY_STEPS, () => matcher.test(`${VALUE}b`))).toBe(true);
  });

  it("throws MatchBudgetExceeded, naming the budget, once the steps run out", () => {
    const matcher = wildcardMatcher(HEAVY, false);
    let thrown: unknown;
    try {
      withMatchBudget(HEAVY_STEPS / 2, () => matcher.test(VALUE));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MatchBudgetExceeded);
    expect((thrown as MatchBudgetExceeded).budget).toBe(HEAVY_STEPS / 2);
    expect((thrown as Error).message).toBe(
      `wildcard matching took more than its budget of ${HEAVY_STEPS / 2} steps`,
    );
  });

  it("counts steps across every match in the budgeted work, not per match", () => {
    const matcher = wildcardMatcher(HEAVY, false);
    const third = Math.ceil(HEAVY_STEPS / 3);
    // Each match fits alone; three of them do not fit twice the steps of one.
    expect(() => withMatchBudget(2 * HEAVY_STEPS, () => [1, 2, 3].map(() => matcher.test(VALUE)))).toThrow(
      MatchBudgetExceeded,
    );
    expect(withMatchBudget(HEAVY_STEPS + third, () => matcher.test(VALUE))).toBe(false);
  });

  it("ends with the work: matching after a spent budget is unbounded again", () => {
    const matcher = wildcardMatcher(HEAVY, false);
    expect(() => withMatchBudget(10, () => matcher.test(VALUE))).toThrow(MatchBudgetExceeded);
    expect(matcher.test(`${VALUE}b`)).toBe(true);
  });

  it("keeps the tighter of two nested budgets", () => {
    const matcher = wildcardMatcher(HEAVY, false);
    const inner = () => withMatchBudget(10 * HEAVY_STEPS, () => matcher.test(VALUE));
    expect(() => withMatchBudget(HEAVY_STEPS / 2, inner)).toThrow(
      `wildcard matching took more than its budget of ${HEAVY_STEPS / 2} steps`,
    );
    expect(() =>
      withMatchBudget(10 * HEAVY_STEPS, () => withMatchBudget(10, () => matcher.test(VALUE))),
    ).toThrow("wildcard matching took more than its budget of 10 steps");
  });

  it("counts compiling a pattern, and does not cache one whose compiling ran out", () => {
    const pattern = `*${"x".repeat(50_000)}*`;
    expect(() => withMatchBudget(1000, () => wildcardMatcher(pattern, false))).toThrow(MatchBudgetExceeded);
    expect(wildcardMatcher(pattern, false).test(`a${"x".repeat(50_000)}b`)).toBe(true);
  });

  it("refuses work that returns a promise, which the budget could not cover", () => {
    expect(() => withMatchBudget(1000, async () => true)).toThrow(TypeError);
  });

  it("refuses a budget that is not a non-negative number", () => {
    expect(() => withMatchBudget(-1, () => true)).toThrow(TypeError);
    expect(() => withMatchBudget(Number.NaN, () => true)).toThrow(TypeError);
  });
});
