import { managedDocument } from "../../authz/callerPolicies.js";
import { compilePolicy } from "../../authz/policyCache.js";
import { parseArn } from "../../core/arn.js";
import { buildContext } from "../../core/policy/context.js";
import {
  type EvalPrincipal,
  evaluate,
  type MatchedStatement,
  type NamedPolicy,
} from "../../core/policy/evaluate.js";
import { MatchBudgetExceeded, withMatchBudget } from "../../core/policy/wildcard.js";
import { AwsError } from "../../errors.js";
import type { AnyQueryOperation } from "../../protocol/operation.js";
import type { QueryParams } from "../../protocol/queryParams.js";
import type { RoomDeps } from "../deps.js";
import { checkLength } from "../validation.js";
import { iamOperation, noSuchEntity, paginate } from "./common.js";
import { findRole } from "./roles.js";
import { findUser } from "./users.js";

/** IAM's PolicySourceType for a matched statement. */
type SourceType = "user" | "role" | "aws-managed" | "user-managed" | "resource" | "none";

interface SimulationInput {
  actions: string[];
  resources: string[];
  policyInputs: string[];
  boundaryInputs: string[];
  resourcePolicy?: string;
  resourceOwner?: string;
  callerArn?: string;
  /** ContextEntries by ContextKeyName: a Map, so that a key named __proto__ is a key like any other. */
  context: Map<string, string[]>;
  /** Whether ResourceArns were given (ResourceSpecificResults are returned only then). */
  explicitResources: boolean;
  params: QueryParams;
}

function simulationInput(p: QueryParams): SimulationInput {
  const actions = p.list("ActionNames");
  if (actions.length === 0) {
    throw new AwsError(
      "ValidationError",
      "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null",
    );
  }
  const context = new Map<string, string[]>();
  for (let i = 1; ; i++) {
    const name = p.get(`ContextEntries.member.${i}.ContextKeyName`);
    if (name === undefined) break;
    // ContextKeyName: 5-256 characters (API_ContextEntry).
    checkLength(`contextEntries.${i}.member.contextKeyName`, name, 5, 256);
    context.set(name, p.list(`ContextEntries.member.${i}.ContextKeyValues`));
  }
  const resources = p.list("ResourceArns");
  return {
    actions,
    resources: resources.length ? resources : ["*"],
    policyInputs: p.list("PolicyInputList"),
    boundaryInputs: p.list("PermissionsBoundaryPolicyInputList"),
    resourcePolicy: p.get("ResourcePolicy"),
    resourceOwner: p.get("ResourceOwner"),
    callerArn: callerArn(p.get("CallerArn")),
    context,
    explicitResources: resources.length > 0,
    params: p,
  };
}

/** CallerArn may name only an IAM user (SimulatePrincipalPolicy / SimulateCustomPolicy API reference). */
function callerArn(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const parsed = parseArn(arn);
  if (parsed?.service !== "iam" || !parsed.resource.startsWith("user/"))
    throw new AwsError("InvalidInput", `Invalid CallerArn: ${arn}. It must be the ARN of an IAM user.`);
  return arn;
}

interface Sources {
  identity: NamedPolicy[];
  boundary?: NamedPolicy;
  types: Map<string, SourceType>;
}

/**
 * Runs every action × resource through the same evaluator that authorises real calls, and answers IAM's
 * EvaluationResults: the decision, the statements that made it (with positions), missing context keys, and
 * whether the permissions boundary allowed.
 */
function simulate(principal: EvalPrincipal, sources: Sources, input: SimulationInput) {
  const types = sources.types;
  input.policyInputs.forEach((doc, i) => {
    const id = `PolicyInputList.${i + 1}`;
    sources.identity.push({ id, type: "IAM Policy", policy: compilePolicy(doc, "identity") });
    types.set(id, "none");
  });
  if (input.boundaryInputs[0] !== undefined) {
    sources.boundary = {
      id: "PermissionsBoundaryPolicyInputList.1",
      type: "PermissionsBoundaryPolicy",
      policy: compilePolicy(input.boundaryInputs[0], "boundary"),
    };
    types.set(sources.boundary.id, "none");
  }
  const resourcePolicy = input.resourcePolicy
    ? {
        id: "ResourcePolicy",
        type: "Resource Policy" as const,
        policy: compilePolicy(input.resourcePolicy, "resource"),
        accountId: input.resourceOwner
          ? (parseArn(input.resourceOwner)?.accountId ?? principal.accountId)
          : principal.accountId,
      }
    : undefined;
  if (resourcePolicy) types.set("ResourcePolicy", "resource");
  // Object.fromEntries defines each key as an own property, __proto__ included (an assignment would have set
  // the object's prototype instead), and buildContext reads own properties only.
  const context = buildContext(Object.fromEntries(input.context));
  const statementXml = (m: MatchedStatement) => ({
    SourcePolicyId: m.sourcePolicyId,
    SourcePolicyType: types.get(m.sourcePolicyId) ?? "none",
    StartPosition: { Line: m.start.line, Column: m.start.column },
    EndPosition: { Line: m.end.line, Column: m.end.column },
  });
  const boundaryAllows = (action: string, resource: string) =>
    sources.boundary
      ? evaluate({
          principal,
          action,
          resource,
          context,
          identityPolicies: [{ ...sources.boundary, type: "IAM Policy" }],
        }).decision === "allowed"
      : undefined;
  const boundaryDetail = (allowed: boolean | undefined) =>
    allowed === undefined ? undefined : { AllowedByPermissionsBoundary: allowed };
  // One result per action, whatever the number of resources: the most restrictive decision on top and each
  // resource's own in ResourceSpecificResults (IAM's current shape, API_EvaluationResult). A page of results is
  // a page of actions, so only the actions of the requested page are evaluated.
  const { page, ...more } = paginate(input.params, input.actions);
  const results = page.map((action) => {
    const perResource = input.resources.map((resource) => ({
      resource,
      boundary: boundaryAllows(action, resource),
      result: evaluate({
        principal,
        action,
        resource,
        context,
        identityPolicies: sources.identity,
        permissionsBoundary: sources.boundary,
        resourcePolicy,
        collectMissingKeys: true,
      }),
    }));
    const decision = perResource.map((r) => r.result.decision).sort((a, b) => RANK[b] - RANK[a])[0]!;
    const deciding = perResource.filter((r) => r.result.decision === decision);
    const statements = new Map<string, MatchedStatement>();
    for (const r of deciding)
      for (const m of r.result.statements) statements.set(`${m.sourcePolicyId}#${m.index}`, m);
    // Context keys compare ignoring case: each is reported once, however the resources' statements spell it.
    const missing = new Map<string, string>();
    for (const key of perResource.flatMap((r) => r.result.missingContextKeys))
      if (!missing.has(key.toLowerCase())) missing.set(key.toLowerCase(), key);
    const single = input.resources.length === 1;
    return {
      EvalActionName: action,
      EvalResourceName: single ? input.resources[0] : "*",
      EvalDecision: decision,
      MatchedStatements: [...statements.values()].map(statementXml),
      MissingContextValues: [...missing.values()],
      OrganizationsDecisionDetail: { AllowedByOrganizations: true },
      // Like the decision, the aggregate is the most restrictive: the boundary allows only if it allows every
      // resource (the boundary is never evaluated against a literal "*" that stands for several resources).
      PermissionsBoundaryDecisionDetail: boundaryDetail(
        sources.boundary ? perResource.every((r) => r.boundary === true) : undefined,
      ),
      ResourceSpecificResults: input.explicitResources
        ? perResource.map((r) => ({
            EvalResourceName: r.resource,
            EvalResourceDecision: r.result.decision,
            MatchedStatements: r.result.statements.map(statementXml),
            MissingContextValues: r.result.missingContextKeys,
            PermissionsBoundaryDecisionDetail: boundaryDetail(r.boundary),
          }))
        : undefined,
    };
  });
  return { EvaluationResults: results, ...more };
}

/**
 * fedsim's own cap on one simulation (AWS documents none): every action is evaluated against every resource,
 * and without a cap 100 actions x 12,000 ARNs made a 535 MB answer.
 */
export const MAX_SIMULATED_PAIRS = 10_000;
/**
 * Each result names its resource, so the answer grows with actions x the resources' total length as well:
 * 10,000 pairs of 2 KB ARNs would be 20 MB. Capped so that no answer passes a few megabytes.
 */
export const MAX_SIMULATED_ARN_CHARACTERS = 2_000_000;

function checkSimulationSize(input: SimulationInput): void {
  const pairs = input.actions.length * input.resources.length;
  if (pairs > MAX_SIMULATED_PAIRS)
    throw new AwsError(
      "InvalidInput",
      `The simulation asks for ${input.actions.length} actions x ${input.resources.length} resources = ${pairs} evaluations; fedsim evaluates at most ${MAX_SIMULATED_PAIRS} action-resource pairs per call (a fedsim limit, not an AWS one). Split ActionNames or ResourceArns over several calls.`,
    );
  let arnCharacters = 0;
  for (const r of input.resources) arnCharacters += r.length;
  const named = input.actions.length * arnCharacters;
  if (named > MAX_SIMULATED_ARN_CHARACTERS)
    throw new AwsError(
      "InvalidInput",
      `The simulation's results would name ${named} characters of resource ARNs (${input.actions.length} actions x ${arnCharacters} characters of ResourceArns); fedsim answers at most ${MAX_SIMULATED_ARN_CHARACTERS} per call (a fedsim limit, not an AWS one). Split ActionNames or ResourceArns over several calls.`,
    );
}

/**
 * fedsim's own bound on the wildcard matching one simulation may do (AWS documents none), in steps of
 * wildcardSteps.ts. The caller writes both the patterns and the values: a piece with '?' between literal
 * characters costs up to value × piece / 32 steps, and 100,000 characters of it against 500,000 of value
 * would be 1.5 × 10^9. The largest honest simulation measured, a 53 KB read-only policy of 1,824 action
 * patterns and 40 conditional statements over 100 actions × 100 resources, takes 3.3 × 10^7 steps (0.75 s);
 * the budget runs out in 0.12 to 0.37 s of adversarial wildcards, or about 1 s when spent by thousands of
 * patterns that each miss at their first character (bench/policy.ts, on a 2-core development machine).
 */
export const MAX_SIMULATION_STEPS = 100_000_000;

/** Runs a simulation under fedsim's matching budget; running out is the caller's InvalidInput. */
function withinBudget<T>(run: () => T): T {
  try {
    return withMatchBudget(MAX_SIMULATION_STEPS, run);
  } catch (error) {
    if (!(error instanceof MatchBudgetExceeded)) throw error;
    throw new AwsError(
      "InvalidInput",
      `The simulation needs more than ${MAX_SIMULATION_STEPS} steps of wildcard matching; fedsim spends at most ${MAX_SIMULATION_STEPS} per call (a fedsim limit, not an AWS one). Shorten long patterns with '?' between literal characters or long context values, or split ActionNames or ResourceArns over several calls.`,
    );
  }
}

/** The most restrictive decision wins the aggregate. */
const RANK = { allowed: 0, implicitDeny: 1, explicitDeny: 2 } as const;

/** The policies of a user or role, as the simulator names them. */
function principalSources(
  deps: RoomDeps,
  accountId: string,
  arn: string,
): { principal: EvalPrincipal; sources: Sources } {
  const parsed = parseArn(arn);
  const resource = parsed?.resource ?? "";
  const kind = resource.startsWith("user/") ? "user" : resource.startsWith("role/") ? "role" : undefined;
  if (parsed?.service !== "iam" || !kind || parsed.accountId !== accountId) {
    throw new AwsError(
      "InvalidInput",
      `Invalid ARN: ${arn}. PolicySourceArn must be an IAM user or role in this account.`,
    );
  }
  const name = resource.slice(resource.lastIndexOf("/") + 1);
  const owner = kind === "user" ? findUser(deps, accountId, name) : findRole(deps, accountId, name);
  const types = new Map<string, SourceType>();
  const identity: NamedPolicy[] = [];
  for (const inline of deps.store.policies.listInline(kind, owner.id)) {
    identity.push({
      id: inline.name,
      type: "IAM Policy",
      policy: compilePolicy(inline.document, "identity"),
    });
    types.set(inline.name, kind);
  }
  for (const policyArn of deps.store.policies.listAttached(kind, owner.id)) {
    const document = managedDocument(deps.store, policyArn);
    if (document === undefined) continue;
    identity.push({ id: policyArn, type: "IAM Policy", policy: compilePolicy(document, "identity") });
    types.set(policyArn, policyArn.startsWith("arn:aws:iam::aws:") ? "aws-managed" : "user-managed");
  }
  let boundary: NamedPolicy | undefined;
  if (owner.permissionsBoundaryArn) {
    const document = managedDocument(deps.store, owner.permissionsBoundaryArn);
    if (document === undefined) throw noSuchEntity(`Policy ${owner.permissionsBoundaryArn} was not found.`);
    boundary = {
      id: owner.permissionsBoundaryArn,
      type: "PermissionsBoundaryPolicy",
      policy: compilePolicy(document, "boundary"),
    };
    types.set(
      boundary.id,
      owner.permissionsBoundaryArn.startsWith("arn:aws:iam::aws:") ? "aws-managed" : "user-managed",
    );
  }
  const principal: EvalPrincipal = {
    kind: kind === "user" ? "user" : "assumed-role",
    arn,
    accountId,
    roleArn: kind === "role" ? arn : undefined,
  };
  return { principal, sources: { identity, boundary, types } };
}

export function simulateOperations(deps: RoomDeps): AnyQueryOperation[] {
  return [
    iamOperation(deps, "SimulatePrincipalPolicy", {
      input: (p) => ({
        source: p.required("PolicySourceArn", "policySourceArn"),
        simulation: simulationInput(p),
      }),
      resource: (_ctx, i) => i.source,
      validate: (i) => checkSimulationSize(i.simulation),
      run: (ctx, i) => {
        const { principal: source, sources } = principalSources(deps, ctx.caller.accountId, i.source);
        // "Simulate calling as Bob, as if Bob had David's policies": the caller is the CallerArn user.
        const caller = i.simulation.callerArn;
        if (!caller && source.kind !== "user" && i.simulation.resourcePolicy)
          throw new AwsError(
            "InvalidInput",
            "CallerArn is required if you include a ResourcePolicy and the PolicySourceArn is not the ARN of an IAM user.",
          );
        const principal: EvalPrincipal = caller
          ? { kind: "user", arn: caller, accountId: parseArn(caller)?.accountId || ctx.caller.accountId }
          : source;
        return withinBudget(() => simulate(principal, sources, i.simulation));
      },
    }),
    iamOperation(deps, "SimulateCustomPolicy", {
      input: (p) => {
        const simulation = simulationInput(p);
        if (simulation.policyInputs.length === 0) {
          throw new AwsError(
            "ValidationError",
            "1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null",
          );
        }
        return { simulation };
      },
      resource: () => "*",
      validate: (i) => checkSimulationSize(i.simulation),
      run: (ctx, i) => {
        // A resource policy's Principal needs a caller to be compared with (SimulateCustomPolicy API reference).
        if (i.simulation.resourcePolicy && !i.simulation.callerArn)
          throw new AwsError("InvalidInput", "CallerArn is required if you include a ResourcePolicy.");
        const callerArn = i.simulation.callerArn ?? `arn:aws:iam::${ctx.caller.accountId}:user/SimulatedUser`;
        const principal: EvalPrincipal = {
          kind: "user",
          arn: callerArn,
          accountId: parseArn(callerArn)?.accountId || ctx.caller.accountId,
        };
        return withinBudget(() => simulate(principal, { identity: [], types: new Map() }, i.simulation));
      },
    }),
  ];
}
