// The stack's promises, checked against a recording of what sst.config.ts registers. Each check
// returns the broken promises as sentences; an empty list means the stack keeps them all.

import { RETRY_AFTER_SECONDS } from "../lib/scan-failure";
import type { RecordedResource, StackRecording } from "./recording";

export const SERVER_RUNTIME = "nodejs22.x";
export const SERVER_MEMORY_MB = 2048;
export const SERVER_TIMEOUT_S = 60;
/** CloudFront's origin read timeout without a quota increase. */
export const CLOUDFRONT_MAX_READ_TIMEOUT_S = 60;
/** Exactly the actions the server has, all on the `Bikes` table itself: the ones the app calls. */
export const BIKES_READ_ACTIONS = ["dynamodb:Scan", "dynamodb:GetItem"];
/** AWS's managed policy for writing the function's own logs, the only managed policy the server needs. */
export const LAMBDA_LOGS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

export function byType(recording: StackRecording, type: string): RecordedResource[] {
  return recording.resources.filter((resource) => resource.type === type);
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The Lambda function whose Function URL CloudFront routes every page to (SST names it `<site>Server…`). */
export function serverFunction(recording: StackRecording): RecordedResource | undefined {
  const functions = byType(recording, "aws:lambda/function:Function").filter((fn) =>
    /^SiteServer.*Function$/.test(fn.name),
  );
  return functions.length === 1 ? functions[0] : undefined;
}

export function roleOf(recording: StackRecording, fn: RecordedResource): RecordedResource | undefined {
  return byType(recording, "aws:iam/role:Role").find((role) => role.computed.arn === fn.inputs.role);
}

/** Every statement of a role's inline policies. */
export function inlineStatements(role: RecordedResource): PolicyStatement[] {
  const policies = (role.inputs.inlinePolicies as { policy?: string }[] | undefined) ?? [];
  return policies.flatMap(
    (policy) => (JSON.parse(policy.policy ?? "{}") as { Statement?: PolicyStatement[] }).Statement ?? [],
  );
}

/** Actions that only read: AWS names them Get…, List…, Describe…, BatchGet…, Scan and Query. */
export function isReadAction(action: string): boolean {
  const verb = action.split(":")[1] ?? "";
  return /^(Get|List|Describe|BatchGet)[A-Z]/.test(verb) || verb === "Scan" || verb === "Query";
}

function functionUrlOf(recording: StackRecording, fn: RecordedResource): RecordedResource | undefined {
  return byType(recording, "aws:lambda/functionUrl:FunctionUrl").find(
    (url) => url.inputs.functionName === fn.inputs.name,
  );
}

/** The server's Lambda function, its URL and who may call it. */
export function checkServer(recording: StackRecording, expectedReservedConcurrency: number): string[] {
  const problems: string[] = [];
  const fn = serverFunction(recording);
  if (fn === undefined) return ["there is not exactly one server function (SiteServer…Function)"];
  const { runtime, memorySize, timeout, reservedConcurrentExecutions } = fn.inputs;
  if (runtime !== SERVER_RUNTIME) problems.push(`server runtime is ${runtime}, not ${SERVER_RUNTIME}`);
  if (memorySize !== SERVER_MEMORY_MB) problems.push(`server memory is ${memorySize} MB, not ${SERVER_MEMORY_MB}`);
  if (timeout !== SERVER_TIMEOUT_S) problems.push(`server timeout is ${timeout} s, not ${SERVER_TIMEOUT_S}`);
  if (reservedConcurrentExecutions !== expectedReservedConcurrency)
    problems.push(
      `server reserved concurrency is ${reservedConcurrentExecutions ?? "not set"}, not ${expectedReservedConcurrency}`,
    );

  const url = functionUrlOf(recording, fn);
  if (url === undefined) problems.push("the server has no Function URL");
  else {
    if (url.inputs.invokeMode !== "RESPONSE_STREAM")
      problems.push(
        `server Function URL invoke mode is ${url.inputs.invokeMode}, not RESPONSE_STREAM (pages buffered)`,
      );
    if (url.inputs.authorizationType !== "AWS_IAM")
      problems.push(
        `server Function URL authorization is ${url.inputs.authorizationType}, not AWS_IAM (callable without CloudFront)`,
      );
  }
  const distributions = byType(recording, "aws:cloudfront/distribution:Distribution");
  const distributionArn = distributions.length === 1 ? distributions[0]!.computed.arn : undefined;
  const grants = byType(recording, "aws:lambda/permission:Permission").filter(
    (permission) => permission.inputs.function === fn.inputs.name,
  );
  if (grants.length === 0) problems.push("nobody may invoke the server (no lambda permission for CloudFront)");
  for (const grant of grants) {
    const { action, principal, sourceArn } = grant.inputs;
    if (principal !== "cloudfront.amazonaws.com" || sourceArn === undefined || sourceArn !== distributionArn)
      problems.push(
        `${grant.name} lets ${String(principal)}${sourceArn ? ` (${String(sourceArn)})` : ""} ${String(action)} the server; only the stack's distribution may`,
      );
  }
  return problems;
}

/** The server's role: nothing but reading `Bikes`, plus its own logs. */
export function checkServerRole(recording: StackRecording): string[] {
  const fn = serverFunction(recording);
  if (fn === undefined) return ["there is not exactly one server function (SiteServer…Function)"];
  const role = roleOf(recording, fn);
  if (role === undefined) return ["the server function's role is not in the recording"];
  const problems: string[] = [];
  const tables = byType(recording, "aws:dynamodb/table:Table");
  const bikesArn = tables.find((table) => table.name === "BikesTable")?.computed.arn;
  const granted = new Set<string>();
  for (const statement of inlineStatements(role)) {
    const actions = list(statement.Action);
    const resources = list(statement.Resource);
    if (statement.Effect !== "Allow") continue;
    if (resources.includes(String(bikesArn))) for (const action of actions) granted.add(action);
    for (const action of actions) {
      if (!isReadAction(action) || action.includes("*"))
        problems.push(`the server role may ${action} on ${resources.join(", ")} (it must write nothing)`);
      else if (!BIKES_READ_ACTIONS.includes(action))
        problems.push(`the server role may ${action}, which the pages do not use`);
    }
    for (const resource of resources)
      if (resource !== bikesArn) problems.push(`the server role reaches ${resource}, not only the Bikes table`);
  }
  for (const action of BIKES_READ_ACTIONS)
    if (!granted.has(action)) problems.push(`the server role lacks ${action} on the Bikes table, which the app calls`);
  const managed = (role.inputs.managedPolicyArns as string[] | undefined) ?? [];
  for (const arn of managed)
    if (arn !== LAMBDA_LOGS_POLICY) problems.push(`the server role has the managed policy ${arn}`);
  return problems;
}

/** One DynamoDB table, `Bikes`, as the data needs it; on production protected against deletion and kept. */
export function checkTable(recording: StackRecording): string[] {
  const tables = byType(recording, "aws:dynamodb/table:Table");
  if (tables.length !== 1)
    return [`the stack has ${tables.length} DynamoDB tables (${tables.map((t) => t.name).join(", ")}), not only Bikes`];
  const table = tables[0]!;
  const problems: string[] = [];
  const input = table.inputs as {
    billingMode?: string;
    hashKey?: string;
    rangeKey?: string;
    attributes?: { name: string; type: string }[];
    pointInTimeRecovery?: { enabled?: boolean };
    serverSideEncryption?: { enabled?: boolean };
    deletionProtectionEnabled?: boolean;
  };
  if (input.billingMode !== "PAY_PER_REQUEST") problems.push(`table billing is ${input.billingMode}, not on demand`);
  if (input.hashKey !== "id" || input.rangeKey !== undefined)
    problems.push(`table key is ${input.hashKey}/${input.rangeKey ?? "-"}, not hash key id alone`);
  const id = input.attributes?.find((attribute) => attribute.name === "id");
  if (id?.type !== "S") problems.push(`table attribute id is ${id?.type ?? "missing"}, not a string`);
  if (input.pointInTimeRecovery?.enabled !== true) problems.push("table point-in-time recovery is off");
  if (input.serverSideEncryption?.enabled !== true) problems.push("table encryption with the AWS-managed key is off");
  const production = recording.stage === "production";
  if ((input.deletionProtectionEnabled === true) !== production)
    problems.push(
      `table deletion protection is ${input.deletionProtectionEnabled ? "on" : "off"} on ${recording.stage}`,
    );
  if (table.options.retainOnDelete !== production)
    problems.push(`table is ${table.options.retainOnDelete ? "retained" : "deleted"} on removal of ${recording.stage}`);
  if (recording.app.protect !== production)
    problems.push(`sst remove is ${recording.app.protect ? "refused" : "allowed"} on ${recording.stage}`);
  return problems;
}

/** Nothing of OpenNext's ISR machinery: no queue, no event source, no function run at deploy. */
export function checkNoUnusedMachinery(recording: StackRecording): string[] {
  const problems: string[] = [];
  const forbidden: [string, string][] = [
    ["aws:sqs/queue:Queue", "an SQS queue"],
    ["aws:lambda/eventSourceMapping:EventSourceMapping", "an event source mapping"],
    ["aws:lambda/invocation:Invocation", "a function invoked at deploy time"],
  ];
  for (const [type, what] of forbidden)
    for (const resource of byType(recording, type)) problems.push(`the stack registers ${what}: ${resource.name}`);
  const functions = byType(recording, "aws:lambda/function:Function").map((fn) => fn.name);
  const unexpected = functions.filter((name) => !/^Site(Server.*|ImageOptimizer)Function$/.test(name));
  for (const name of unexpected) problems.push(`the stack registers the function ${name}, beyond server and images`);
  return problems;
}

/** CloudFront's read timeout (set per request by the viewer-request function) against the function's. */
export function checkReadTimeout(readTimeout: number | undefined, recording: StackRecording): string[] {
  const timeout = serverFunction(recording)?.inputs.timeout;
  const problems: string[] = [];
  if (readTimeout !== timeout)
    problems.push(
      `CloudFront's origin read timeout is ${readTimeout ?? "the default"} s, not the function's ${timeout} s`,
    );
  if (readTimeout === undefined || readTimeout > CLOUDFRONT_MAX_READ_TIMEOUT_S)
    problems.push(`CloudFront's origin read timeout must be at most ${CLOUDFRONT_MAX_READ_TIMEOUT_S} s`);
  return problems;
}

/** The deploy builds with the project's own build and bundle check. */
export function checkBuild(recording: StackRecording): string[] {
  const builders = byType(recording, "command:local:Command");
  if (builders.length !== 1) return [`the stack has ${builders.length} build commands, not one`];
  const { create, update } = builders[0]!.inputs;
  return create === "npm run build:lambda" && update === "npm run build:lambda"
    ? []
    : [`the deploy builds with "${String(create)}", not "npm run build:lambda" (bundle check skipped)`];
}

/** The server finds the table through its link (`Resource.Bikes.name`), and runs OpenNext's bundle. */
export function checkServerBuild(recording: StackRecording): string[] {
  const builds = recording.builds.filter((build) => /^SiteServer/.test(build.functionID));
  if (builds.length !== 1) return [`the SST CLI would build ${builds.length} server functions, not one`];
  const build = builds[0]!;
  const problems: string[] = [];
  if (build.bundle !== ".open-next/server-functions/default" || build.handler !== "index.handler")
    problems.push(`the server is built from ${build.bundle} (${build.handler}), not OpenNext's default server bundle`);
  const tableName = byType(recording, "aws:dynamodb/table:Table").find((table) => table.name === "BikesTable")?.inputs
    .name;
  if (build.links.Bikes?.name === undefined || build.links.Bikes.name !== tableName)
    problems.push(
      `Resource.Bikes.name in the server would be ${build.links.Bikes?.name ?? "missing"}, not the table's name`,
    );
  const others = Object.keys(build.links).filter((link) => link !== "Bikes");
  if (others.length > 0) problems.push(`the server is linked to ${others.join(", ")} beyond Bikes`);
  return problems;
}

/** HSTS of at least a year, whatever the origin sends, on the distribution's one cache behaviour. */
export const HSTS_MIN_MAX_AGE_S = 31_536_000;

export function checkSecurityHeaders(recording: StackRecording): string[] {
  const distributions = byType(recording, "aws:cloudfront/distribution:Distribution");
  if (distributions.length !== 1) return [`the stack has ${distributions.length} distributions, not one`];
  const behavior = distributions[0]!.inputs.defaultCacheBehavior as { responseHeadersPolicyId?: string } | undefined;
  // The mocks' ids are `<logical name>-id` (run-under-mocks.ts).
  const policy = byType(recording, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").find(
    (candidate) => `${candidate.name}-id` === behavior?.responseHeadersPolicyId,
  );
  if (policy === undefined) return ["the distribution has no response headers policy (no HSTS)"];
  const hsts = (
    policy.inputs.securityHeadersConfig as
      | { strictTransportSecurity?: { accessControlMaxAgeSec: number; override: boolean } }
      | undefined
  )?.strictTransportSecurity;
  if (hsts === undefined) return [`${policy.name} sets no Strict-Transport-Security`];
  const problems: string[] = [];
  if (hsts.accessControlMaxAgeSec < HSTS_MIN_MAX_AGE_S)
    problems.push(`${policy.name}: HSTS max-age ${hsts.accessControlMaxAgeSec} s, under a year`);
  if (!hsts.override) problems.push(`${policy.name}: HSTS does not override the origin's header`);
  return problems;
}

/**
 * The edge keeps a 503 no longer than the Retry-After the app sends with it, so a client that
 * waits as told reaches the function again (CloudFront's default is 10 s, whatever Cache-Control says).
 */
export function checkUnavailableCaching(recording: StackRecording): string[] {
  const distributions = byType(recording, "aws:cloudfront/distribution:Distribution");
  if (distributions.length !== 1) return [`the stack has ${distributions.length} distributions, not one`];
  const responses = (distributions[0]!.inputs.customErrorResponses ?? []) as {
    errorCode: number;
    errorCachingMinTtl?: number;
    responsePagePath?: string;
  }[];
  const unavailable = responses.find((response) => response.errorCode === 503);
  if (unavailable?.errorCachingMinTtl === undefined)
    return ["the distribution caches a 503 for CloudFront's default 10 s, longer than its Retry-After"];
  const problems: string[] = [];
  if (unavailable.errorCachingMinTtl > RETRY_AFTER_SECONDS)
    problems.push(
      `the distribution caches a 503 for ${unavailable.errorCachingMinTtl} s, longer than its Retry-After (${RETRY_AFTER_SECONDS} s)`,
    );
  if (unavailable.responsePagePath !== undefined)
    problems.push(`the distribution replaces the function's 503 with ${unavailable.responsePagePath}`);
  return problems;
}

/** Per client IP over WAF's window, the most a rate rule may allow (sst.config.ts RATE_LIMITS is 2,000). */
export const RATE_LIMIT_CEILING = 10_000;

interface RateBasedStatement {
  limit?: number;
  aggregateKeyType?: string;
  evaluationWindowSec?: number;
}

/**
 * A WAF web ACL on the distribution with a rule that blocks a client IP beyond a rate, so no single
 * client can hold every function slot (docs/decisions/028-no-single-client-takes-the-site-down.md).
 */
export function checkRateLimit(recording: StackRecording): string[] {
  const distributions = byType(recording, "aws:cloudfront/distribution:Distribution");
  if (distributions.length !== 1) return [`the stack has ${distributions.length} distributions, not one`];
  const aclArn = distributions[0]!.inputs.webAclId;
  if (aclArn === undefined) return ["the distribution has no WAF web ACL (no rate limit per client)"];
  const acl = byType(recording, "aws:wafv2/webAcl:WebAcl").find((candidate) => candidate.computed.arn === aclArn);
  if (acl === undefined) return [`the distribution's web ACL ${String(aclArn)} is not this stack's`];
  const problems: string[] = [];
  if (acl.inputs.scope !== "CLOUDFRONT")
    problems.push(`web ACL ${acl.name} has scope ${acl.inputs.scope}, not CLOUDFRONT`);
  const rules = (acl.inputs.rules ?? []) as {
    name: string;
    action?: { block?: { customResponse?: { responseCode?: number } } };
    statement?: { rateBasedStatement?: RateBasedStatement & { scopeDownStatement?: unknown } };
  }[];
  const perIp = rules.filter(
    (rule) =>
      rule.statement?.rateBasedStatement?.aggregateKeyType === "IP" &&
      rule.statement.rateBasedStatement.scopeDownStatement === undefined,
  );
  if (perIp.length === 0) problems.push(`web ACL ${acl.name} has no rate-based rule per client IP over every path`);
  for (const rule of rules.filter((candidate) => candidate.statement?.rateBasedStatement)) {
    const rate = rule.statement!.rateBasedStatement!;
    if (rule.action?.block === undefined) problems.push(`rate rule ${rule.name} does not block (count only)`);
    else if (rule.action.block.customResponse?.responseCode !== 429)
      problems.push(`rate rule ${rule.name} answers ${rule.action.block.customResponse?.responseCode ?? 403}, not 429`);
    if (rate.limit === undefined || rate.limit > RATE_LIMIT_CEILING)
      problems.push(
        `rate rule ${rule.name} allows ${rate.limit ?? "any number of"} requests, over ${RATE_LIMIT_CEILING}`,
      );
  }
  return problems;
}

/** Every function of the stack has a concurrency ceiling (reserved concurrency). */
export function checkConcurrencyCeilings(recording: StackRecording): string[] {
  return byType(recording, "aws:lambda/function:Function")
    .filter((fn) => {
      const reserved = fn.inputs.reservedConcurrentExecutions;
      return typeof reserved !== "number" || reserved < 1;
    })
    .map(
      (fn) =>
        `the function ${fn.name} has no concurrency ceiling (reserved concurrency ${String(fn.inputs.reservedConcurrentExecutions ?? "not set")})`,
    );
}

/**
 * The cache policy of the distribution's behaviour lets the origin's Cache-Control decide: minimum
 * TTL 0 (else a private page or a 503 would be stored), a maximum that s-maxage fits under, every
 * query string in the key (the catalog's parameters are its pages), no cookies (docs/decisions/027).
 */
export function checkCachePolicy(recording: StackRecording): string[] {
  const distributions = byType(recording, "aws:cloudfront/distribution:Distribution");
  if (distributions.length !== 1) return [`the stack has ${distributions.length} distributions, not one`];
  const behavior = distributions[0]!.inputs.defaultCacheBehavior as { cachePolicyId?: string } | undefined;
  const policy = byType(recording, "aws:cloudfront/cachePolicy:CachePolicy").find(
    (candidate) =>
      `${candidate.name}-id` === behavior?.cachePolicyId || candidate.computed.id === behavior?.cachePolicyId,
  );
  if (policy === undefined) return ["the distribution's behaviour has no cache policy of this stack"];
  const input = policy.inputs as {
    minTtl?: number;
    maxTtl?: number;
    parametersInCacheKeyAndForwardedToOrigin?: {
      queryStringsConfig?: { queryStringBehavior?: string };
      cookiesConfig?: { cookieBehavior?: string };
    };
  };
  const problems: string[] = [];
  if ((input.minTtl ?? 0) !== 0)
    problems.push(
      `cache policy ${policy.name} has minimum TTL ${input.minTtl} s: the origin's no-store would be overridden`,
    );
  if ((input.maxTtl ?? 31_536_000) < 60) problems.push(`cache policy ${policy.name} caps TTLs at ${input.maxTtl} s`);
  const key = input.parametersInCacheKeyAndForwardedToOrigin;
  if (key?.queryStringsConfig?.queryStringBehavior !== "all")
    problems.push(
      `cache policy ${policy.name} keys on query strings "${key?.queryStringsConfig?.queryStringBehavior}", not all of them`,
    );
  if (key?.cookiesConfig?.cookieBehavior !== "none")
    problems.push(`cache policy ${policy.name} puts cookies "${key?.cookiesConfig?.cookieBehavior}" in the key`);
  return problems;
}

/** Every promise that needs no execution of the viewer-request function. */
export function checkStack(recording: StackRecording, expectedReservedConcurrency: number): string[] {
  return [
    ...checkServer(recording, expectedReservedConcurrency),
    ...checkServerRole(recording),
    ...checkTable(recording),
    ...checkNoUnusedMachinery(recording),
    ...checkBuild(recording),
    ...checkServerBuild(recording),
    ...checkSecurityHeaders(recording),
    ...checkUnavailableCaching(recording),
    ...checkRateLimit(recording),
    ...checkConcurrencyCeilings(recording),
    ...checkCachePolicy(recording),
  ];
}
