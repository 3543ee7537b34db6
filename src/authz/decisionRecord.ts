import type { Door } from "../auth/requestContext.js";
import type { EvaluationTrace } from "../core/policy/trace.js";

/** allow, or why not: a Deny statement, no Allow, or a refusal before any policy was read (signature, token). */
export type DecisionOutcome = "allow" | "explicit-deny" | "implicit-deny" | "refused";

export interface DecisionStatement {
  /** Policy ARN, inline policy name, or "ROLE_ARN (trust policy)". */
  policy: string;
  sid?: string;
  index: number;
  effect: "Allow" | "Deny";
}

export type ContextRecordValue = string | number | boolean | string[] | null;

/** One authorisation decision or refused federation, as `GET /_fedsim/decisions` answers it. */
export interface DecisionRecord {
  id: string;
  /** ISO 8601. */
  time: string;
  requestId: string;
  door: Door;
  service: string;
  /** ARN, or "anonymous". */
  principal: string;
  action: string;
  resource: string;
  decision: DecisionOutcome;
  /** One sentence a person can act on. */
  reason: string;
  statements: DecisionStatement[];
  /** Every context key the evaluation read, with its value (null: the request lacked it). */
  context: Record<string, ContextRecordValue>;
  /** Statement by statement, for `fedsim explain`; absent for refusals before evaluation. */
  trace?: EvaluationTrace["policies"];
}

/**
 * A decision as authz hands it over. The context and trace come as a thunk: working them out is deferred
 * to the log's batched write, off the path of the response.
 */
export type NewDecision = Omit<DecisionRecord, "id" | "time" | "context" | "trace"> & {
  time: Date;
  details?: () => { context: DecisionRecord["context"]; trace?: DecisionRecord["trace"] };
};

/** Where decisions go; the server passes one in (src/store keeps them), tests may pass their own. */
export interface DecisionSink {
  record(decision: NewDecision): void;
  /** Whether a denial or refusal was recorded for this recent request (front doors record a refusal otherwise). */
  recorded?(requestId: string): boolean;
}

export const discardDecisions: DecisionSink = { record() {} };
