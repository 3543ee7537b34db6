import type { RequestContext } from "../auth/requestContext.js";
import type { EvaluationInput } from "../core/policy/evaluate.js";
import { type EvaluationTrace, keysRead, traceEvaluation } from "../core/policy/trace.js";
import type { Decision } from "./decide.js";
import type {
  ContextRecordValue,
  DecisionOutcome,
  DecisionSink,
  DecisionStatement,
} from "./decisionRecord.js";

export interface DecisionSubject {
  service: string;
  /** ARN, or "anonymous". */
  principal: string;
  action: string;
  resource: string;
}

export function outcomeOf(decision: Decision["decision"]): DecisionOutcome {
  return decision === "allowed" ? "allow" : decision === "explicitDeny" ? "explicit-deny" : "implicit-deny";
}

/** Records a policy evaluation: its outcome, the deciding statements, and (worked out later) the keys read and a trace. */
export function recordEvaluation(
  sink: DecisionSink,
  ctx: RequestContext,
  subject: DecisionSubject,
  decision: Decision,
  reason: string,
): void {
  const evaluated = decision.evaluated;
  // Denials are explained on the spot (they are the records people read); allows later, in the batch.
  const trace = evaluated && decision.decision !== "allowed" ? traceEvaluation(evaluated) : undefined;
  const statements: DecisionStatement[] = [];
  for (const s of decision.statements) {
    const ref: DecisionStatement = { policy: s.sourcePolicyId, index: s.index, effect: s.effect };
    if (s.sid !== undefined) ref.sid = s.sid;
    statements.push(ref);
  }
  sink.record({
    service: subject.service,
    principal: subject.principal,
    action: subject.action,
    resource: subject.resource,
    time: ctx.now,
    requestId: ctx.requestId,
    door: ctx.door,
    decision: outcomeOf(decision.decision),
    reason: trace ? reason + closestMiss(decision, trace) : reason,
    statements,
    details: evaluated && (() => explainEvaluation(evaluated, trace)),
  });
}

/**
 * The keys the evaluation read, with the request's values, and for a denial the statement-by-statement trace
 * (worked out already, for the reason). An allow keeps its deciding statements and the keys, not a trace:
 * tracing and storing every allowed request's statements cost a tenth of AssumeRole's throughput.
 */
function explainEvaluation(
  evaluated: EvaluationInput,
  traced: EvaluationTrace | undefined,
): { context: Record<string, ContextRecordValue>; trace?: EvaluationTrace["policies"] } {
  // Keys come from policies, a caller's session policy among them: "__proto__" must be a key like any other.
  const context: Record<string, ContextRecordValue> = Object.create(null);
  for (const key of traced?.keysRead ?? keysRead(evaluated)) {
    const values = evaluated.context.get(key.toLowerCase());
    context[key] = values === undefined ? null : values.length === 1 ? values[0]! : [...values];
  }
  return traced ? { context, trace: traced.policies } : { context };
}

/**
 * What a person fixes next: the statement that denied, or the first Allow statement that applied to the
 * action and resource but whose condition failed, with the key, the policy's values and the request's.
 */
function closestMiss(decision: Decision, trace: EvaluationTrace): string {
  if (decision.decision === "explicitDeny") {
    const s = decision.statements[0];
    return s ? ` (denied by ${s.sourcePolicyId}, statement ${s.sid ?? `#${s.index}`})` : "";
  }
  for (const p of trace.policies)
    for (const s of p.statements)
      if (s.effect === "Allow" && s.outcome === "condition" && s.failedCondition) {
        const c = s.failedCondition;
        const actual =
          c.actual === null ? "the request has no such key" : `the request has ${shown(c.actual)}`;
        return ` (closest: ${p.policy}, statement ${s.sid ?? `#${s.index}`}: condition ${c.operator} ${c.key} ${shown(c.values)} does not hold, ${actual})`;
      }
  return "";
}

/** Values as a reason quotes them: one value alone, long ones cut (a request's value can be as long as a header). */
function shown(values: readonly string[]): string {
  const cut = values.slice(0, 10).map((v) => (v.length > 200 ? `${v.slice(0, 200)}…` : v));
  return JSON.stringify(cut.length === 1 ? cut[0] : cut);
}

/** Records a refusal made before any policy was read: a bad signature, an unknown key, an unverifiable assertion. */
export function recordRefusal(
  sink: DecisionSink,
  ctx: RequestContext,
  subject: DecisionSubject,
  reason: string,
  context?: Record<string, ContextRecordValue>,
): void {
  sink.record({
    ...subject,
    time: ctx.now,
    requestId: ctx.requestId,
    door: ctx.door,
    decision: "refused",
    reason,
    statements: [],
    details: context && (() => ({ context })),
  });
}

/** "Allowed by POLICY (statement SID)." for the log's reason. */
export function allowReason(decision: Decision): string {
  const s = decision.statements[0];
  if (!s) return "Allowed: the account root may do anything in its own account.";
  return `Allowed by ${s.sourcePolicyId}, statement ${s.sid ?? `#${s.index}`}.`;
}

/** Records an allow that no policy decides (GetCallerIdentity, which no policy can refuse). */
export function recordUnconditional(
  sink: DecisionSink,
  ctx: RequestContext,
  subject: DecisionSubject,
  reason: string,
): void {
  sink.record({
    ...subject,
    time: ctx.now,
    requestId: ctx.requestId,
    door: ctx.door,
    decision: "allow",
    reason,
    statements: [],
  });
}
