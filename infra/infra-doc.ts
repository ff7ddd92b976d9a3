// Renders docs/infra.md from the stack recordings: every resource each stage registers, with the
// properties a reviewer needs to see change, and where the viewer-request function sends requests.
import type { RecordedResource, StackRecording } from "./recording";
import { inlineStatements } from "./stack-checks";
import { runViewerRequest } from "./viewer-request";

/** The sample requests of docs/infra.md and of the viewer-request tests. */
export const SAMPLE_PATHS = ["/bikes", "/api/bikes", "/bikes/bike-00001", "/_next/static/chunks/app.js", "/BUILD_ID"];
export const SAMPLE_ACCEPT_ENCODING = "br, gzip";

/** Replaces mock ARNs, generated physical names and hosts with the logical name of their resource. */
function namer(recording: StackRecording): (value: unknown) => string {
  const aliases: [string, string][] = [];
  for (const resource of recording.resources) {
    for (const key of ["arn", "functionUrl", "bucketRegionalDomainName", "domainName"]) {
      const value = resource.computed[key];
      if (typeof value === "string") {
        const shown = key === "functionUrl" ? new URL(value).host : value;
        aliases.push([shown, resource.name]);
      }
    }
    if (resource.custom && typeof resource.inputs.name === "string")
      aliases.push([resource.inputs.name, resource.name]);
    if (resource.custom && typeof resource.inputs.bucket === "string" && resource.type === "aws:s3/bucket:Bucket")
      aliases.push([resource.inputs.bucket, resource.name]);
    // The mocks' ids are `<logical name>-id`.
    aliases.push([`${resource.name}-id`, resource.name]);
  }
  // Longest first, so an ARN is replaced before the physical name inside it.
  aliases.sort((a, b) => b[0].length - a[0].length);
  return (value) => {
    let text = typeof value === "string" ? value : JSON.stringify(value);
    for (const [from, to] of aliases) text = text.split(from).join(to);
    return text;
  };
}

function yesNo(value: unknown): string {
  return value === true ? "yes" : "no";
}

/** The inputs docs/infra.md shows, by the resource types that have them (AWS provider names). */
interface ShownInputs {
  runtime?: string;
  memorySize?: number;
  timeout?: number;
  architectures?: string[];
  reservedConcurrentExecutions?: number;
  publish?: boolean;
  handler?: string;
  role?: string;
  invokeMode?: string;
  authorizationType?: string;
  functionName?: string;
  action?: string;
  principal?: string;
  sourceArn?: string;
  function?: string;
  managedPolicyArns?: string[];
  billingMode?: string;
  hashKey?: string;
  rangeKey?: string;
  pointInTimeRecovery?: { enabled?: boolean };
  serverSideEncryption?: { enabled?: boolean };
  deletionProtectionEnabled?: boolean;
  forceDestroy?: boolean;
  defaultCacheBehavior?: {
    viewerProtocolPolicy?: string;
    compress?: boolean;
    cachePolicyId?: string;
    originRequestPolicyId?: string;
    functionAssociations?: { eventType: string; functionArn: string }[];
    lambdaFunctionAssociations?: unknown[];
    responseHeadersPolicyId?: string;
  };
  securityHeadersConfig?: {
    strictTransportSecurity?: { accessControlMaxAgeSec: number; includeSubdomains?: boolean; override: boolean };
    contentTypeOptions?: { override: boolean };
    frameOptions?: { frameOption: string; override: boolean };
    referrerPolicy?: { referrerPolicy: string; override: boolean };
  };
  orderedCacheBehaviors?: unknown[];
  customErrorResponses?: { errorCode: number; errorCachingMinTtl?: number; responsePagePath?: string }[];
  priceClass?: string;
  minTtl?: number;
  defaultTtl?: number;
  maxTtl?: number;
  parametersInCacheKeyAndForwardedToOrigin?: {
    headersConfig?: { headerBehavior?: string; headers?: { items?: string[] } };
    queryStringsConfig?: { queryStringBehavior?: string };
    cookiesConfig?: { cookieBehavior?: string };
  };
  keyValueStoreAssociations?: string[];
  create?: string;
  retentionInDays?: number;
  blockPublicAcls?: boolean;
  blockPublicPolicy?: boolean;
  policy?: string;
  corsRules?: { allowedMethods: string[]; allowedOrigins: string[] }[];
  entries?: Record<string, string>;
  store?: string;
  files?: { cacheControl?: string }[];
  bucketName?: string;
  paths?: string[];
  distributionId?: string;
  wait?: boolean;
  webAclId?: string;
  scope?: string;
  rules?: {
    name: string;
    action?: { block?: { customResponse?: { responseCode?: number } } } & Record<string, unknown>;
    statement?: {
      rateBasedStatement?: {
        limit: number;
        aggregateKeyType: string;
        evaluationWindowSec?: number;
        scopeDownStatement?: { byteMatchStatement?: { searchString: string } };
      };
    };
  }[];
}

function describeResource(resource: RecordedResource, name: (value: unknown) => string): string {
  const input = resource.inputs as ShownInputs;
  switch (resource.type) {
    case "aws:lambda/function:Function":
      return [
        input.runtime,
        `${input.memorySize} MB`,
        `timeout ${input.timeout} s`,
        input.architectures?.join(","),
        `reserved concurrency ${input.reservedConcurrentExecutions ?? "none"}`,
        `published version: ${yesNo(input.publish)}`,
        `handler ${input.handler}`,
        `role ${name(input.role)}`,
      ].join("; ");
    case "aws:lambda/functionUrl:FunctionUrl":
      return `${input.invokeMode}; auth ${input.authorizationType}; function ${name(input.functionName)}`;
    case "aws:lambda/permission:Permission":
      return `${input.action} by ${input.principal}${input.sourceArn ? ` from ${name(input.sourceArn)}` : ""} on ${name(input.function)}`;
    case "aws:iam/role:Role": {
      const statements = inlineStatements(resource).map(
        (statement) =>
          `${statement.Effect} ${[statement.Action].flat().join(", ")} on ${[statement.Resource]
            .flat()
            .map(name)
            .join(", ")}`,
      );
      const managed = (input.managedPolicyArns ?? []).map((arn) => arn.split("/").pop());
      return [...statements, `managed: ${managed.join(", ") || "none"}`].join("; ");
    }
    case "aws:dynamodb/table:Table":
      return [
        input.billingMode,
        `hash key ${input.hashKey}${input.rangeKey ? `, range key ${input.rangeKey}` : ""}`,
        `PITR ${input.pointInTimeRecovery?.enabled ? "on" : "off"}`,
        `SSE ${input.serverSideEncryption?.enabled ? "on" : "off"}`,
        `deletion protection ${input.deletionProtectionEnabled ? "on" : "off"}`,
        `kept on removal: ${yesNo(resource.options.retainOnDelete)}`,
      ].join("; ");
    case "aws:s3/bucket:Bucket":
      return `kept on removal: ${yesNo(resource.options.retainOnDelete)}; force destroy: ${yesNo(input.forceDestroy)}`;
    case "aws:cloudfront/distribution:Distribution": {
      const behavior = input.defaultCacheBehavior ?? {};
      const functions = (behavior.functionAssociations ?? []).map(
        (association) => `${association.eventType} ${name(association.functionArn)}`,
      );
      return [
        `default behaviour: ${behavior.viewerProtocolPolicy}`,
        `compress ${yesNo(behavior.compress)}`,
        `cache policy ${name(behavior.cachePolicyId)}`,
        `origin request policy ${behavior.originRequestPolicyId === "b689b0a8-53d0-40ab-baf2-68738e2966ac" ? "AllViewerExceptHostHeader" : behavior.originRequestPolicyId}`,
        ...functions,
        `response headers policy ${behavior.responseHeadersPolicyId ? name(behavior.responseHeadersPolicyId) : "none"}`,
        `${(behavior.lambdaFunctionAssociations ?? []).length} Lambda@Edge`,
        `${(input.orderedCacheBehaviors ?? []).length} other behaviours`,
        `price class ${input.priceClass ?? "default"}`,
        `WAF web ACL ${input.webAclId ? name(input.webAclId) : "none"}`,
        ...(input.customErrorResponses ?? []).map(
          (response) =>
            `${response.errorCode} kept at the edge ${response.errorCachingMinTtl ?? 10} s${response.responsePagePath ? `, shown as ${response.responsePagePath}` : ""}`,
        ),
      ].join("; ");
    }
    case "aws:cloudfront/cachePolicy:CachePolicy": {
      const key = input.parametersInCacheKeyAndForwardedToOrigin ?? {};
      return [
        `TTL min ${input.minTtl} default ${input.defaultTtl} max ${input.maxTtl}`,
        `key: headers ${key.headersConfig?.headers?.items?.join(", ") ?? key.headersConfig?.headerBehavior}`,
        `query strings ${key.queryStringsConfig?.queryStringBehavior}`,
        `cookies ${key.cookiesConfig?.cookieBehavior}`,
      ].join("; ");
    }
    case "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": {
      const headers = input.securityHeadersConfig ?? {};
      const kept = (override: boolean | undefined) => (override ? "" : " unless the origin sets it");
      return [
        headers.strictTransportSecurity
          ? `HSTS max-age ${headers.strictTransportSecurity.accessControlMaxAgeSec}${headers.strictTransportSecurity.includeSubdomains ? ", includeSubDomains" : ""}${kept(headers.strictTransportSecurity.override)}`
          : "no HSTS",
        ...(headers.contentTypeOptions ? [`nosniff${kept(headers.contentTypeOptions.override)}`] : []),
        ...(headers.frameOptions
          ? [`x-frame-options ${headers.frameOptions.frameOption}${kept(headers.frameOptions.override)}`]
          : []),
        ...(headers.referrerPolicy
          ? [`referrer-policy ${headers.referrerPolicy.referrerPolicy}${kept(headers.referrerPolicy.override)}`]
          : []),
      ].join("; ");
    }
    case "aws:wafv2/webAcl:WebAcl": {
      const rules = (input.rules ?? []).map((rule) => {
        const rate = rule.statement?.rateBasedStatement;
        const action = rule.action?.block
          ? `block with ${rule.action.block.customResponse?.responseCode ?? 403}`
          : Object.keys(rule.action ?? {}).join(",");
        return rate
          ? `${rule.name}: over ${rate.limit} requests per ${rate.aggregateKeyType} in ${rate.evaluationWindowSec ?? 300} s${rate.scopeDownStatement?.byteMatchStatement ? ` to paths starting ${rate.scopeDownStatement.byteMatchStatement.searchString}` : ""}, ${action}`
          : `${rule.name}: ${action}`;
      });
      return [`scope ${input.scope}`, ...rules].join("; ");
    }
    case "aws:cloudfront/function:Function":
      return `${input.runtime}; key-value store ${(input.keyValueStoreAssociations ?? []).map(name).join(", ")}`;
    case "command:local:Command":
      return `runs \`${input.create}\` on every deploy`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `retention ${input.retentionInDays ?? "forever"} days`;
    case "aws:s3/bucketObjectv2:BucketObjectv2":
      return `code of ${resource.name.replace(/Code$/, "")} in the SST asset bucket`;
    case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
      return `block public ACLs ${yesNo(input.blockPublicAcls)}, public policy ${yesNo(input.blockPublicPolicy)}`;
    case "aws:s3/bucketPolicy:BucketPolicy":
      return (
        JSON.parse(String(input.policy)) as {
          Statement: {
            Effect: string;
            Principal?: unknown;
            Action: string[];
            Resource: string[];
            Condition?: unknown;
          }[];
        }
      ).Statement.map(
        (statement) =>
          `${statement.Effect} ${statement.Action.join(", ")}${statement.Principal ? ` to ${JSON.stringify(statement.Principal)}` : ""} on ${statement.Resource.map(name).join(", ")}${statement.Condition ? ` if ${name(statement.Condition)}` : ""}`,
      ).join("; ");
    case "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration":
      return (input.corsRules ?? [])
        .map((rule) => `CORS ${rule.allowedMethods.join(",")} from ${rule.allowedOrigins.join(",")}`)
        .join("; ");
    case "pulumi-nodejs:dynamic:Resource":
      return describeSstResource(resource, name);
    default:
      return resource.custom ? "" : "component";
  }
}

/** SST's own resources (Pulumi dynamic resources served by the CLI at deploy time). */
function describeSstResource(resource: RecordedResource, name: (value: unknown) => string): string {
  const input = resource.inputs as ShownInputs;
  const kind = resource.name.split(".").pop();
  switch (kind) {
    case "KvKeys": {
      const entries = input.entries ?? {};
      const metadata = JSON.parse(entries.metadata ?? "{}") as { s3?: { routes?: string[] } };
      const files = Object.keys(entries).filter((key) => key !== "metadata");
      return `routing data in ${name(input.store)}: S3 files ${files.join(", ")}; S3 prefixes ${metadata.s3?.routes?.join(", ")}; everything else to the server`;
    }
    case "BucketFiles": {
      const cacheControl = [...new Set((input.files ?? []).map((file) => file.cacheControl))];
      return `uploads .open-next/assets to ${name(input.bucketName)} (cache-control: ${cacheControl.join(" or ")})`;
    }
    case "DistributionInvalidation":
      return `invalidates ${(input.paths ?? []).join(", ")} on ${name(input.distributionId)} on every deploy; waits: ${yesNo(input.wait)}`;
    case "DistributionDeploymentWaiter":
      return `waits for ${name(input.distributionId)} to deploy: ${yesNo(input.wait)}`;
    default:
      return "";
  }
}

function typeLabel(resource: RecordedResource): string {
  // Dynamic resources carry their SST type in the name: `SiteKvKeys.sst.aws.KvKeys`.
  const dynamic = /\.(sst\.aws\.[A-Za-z]+)$/.exec(resource.name);
  return dynamic ? `${resource.type} (${dynamic[1]})` : resource.type;
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

async function routing(recording: StackRecording, name: (value: unknown) => string): Promise<string[]> {
  const lines = [
    "| request | origin | uri at the origin | read timeout | accept-encoding kept |",
    "|---|---|---|---|---|",
  ];
  for (const path of SAMPLE_PATHS) {
    const result = await runViewerRequest(recording, path, { "accept-encoding": SAMPLE_ACCEPT_ENCODING });
    const origin = result.origin ? name(result.origin.domainName) : "distribution default";
    lines.push(
      `| \`${path}\` | ${origin} | \`${result.request.uri}\` | ${result.origin?.timeouts?.readTimeout ?? "default"} | ${yesNo(
        result.request.headers["accept-encoding"] !== undefined,
      )} |`,
    );
  }
  return lines;
}

export async function renderInfraDoc(recordings: StackRecording[]): Promise<string> {
  const lines = [
    "# What the stack deploys",
    "",
    "Generated by `npm run infra:doc` from what `sst.config.ts` registers when it runs under Pulumi",
    "mocks with SST's own components (`infra/`); `npm run infra:test` fails when this file is",
    "stale, so a change of infrastructure shows in the diff. Do not edit by hand.",
    "",
    "Names are logical names (the mocks' ARNs and SST's random physical-name suffixes are replaced by",
    "them). Components group resources and create nothing in AWS.",
  ];
  for (const recording of recordings) {
    const name = namer(recording);
    const sorted = [...recording.resources].sort(
      (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
    );
    const custom = sorted.filter((resource) => resource.custom);
    lines.push(
      "",
      `## Stage \`${recording.stage}\``,
      "",
      `${sorted.length} registrations: ${custom.length} resources, ${sorted.length - custom.length} components. Removal policy \`${recording.app.removal}\`, \`sst remove\` ${recording.app.protect ? "refused (protect)" : "allowed"}.`,
      "",
      ...recording.builds.map(
        (build) =>
          `- Function \`${build.functionID}\` as the SST CLI would package it: bundle \`${build.bundle}\`, handler \`${build.handler}\`, links ${
            Object.entries(build.links)
              .map(
                ([link, properties]) =>
                  `\`Resource.${link}\` (${Object.keys(properties)
                    .filter((key) => key !== "type")
                    .map((key) => `${key} = ${name(properties[key])}`)
                    .join(", ")})`,
              )
              .join(", ") || "none"
          }.`,
      ),
      "",
      "| type | name | what matters |",
      "|---|---|---|",
      ...sorted.map(
        (resource) =>
          `| \`${typeLabel(resource)}\` | ${resource.name} | ${escapeCell(describeResource(resource, name))} |`,
      ),
      "",
      `Where the viewer-request function sends sample requests (viewer sends \`accept-encoding: ${SAMPLE_ACCEPT_ENCODING}\`):`,
      "",
      ...(await routing(recording, name)),
    );
  }
  lines.push(
    "",
    "## How the stack is recorded",
    "",
    "`infra/record-stack.ts` does what `sst deploy` does up to the point where it would talk to",
    "AWS. It bundles `sst.config.ts` the way the SST CLI does (esbuild; the platform's `src/shim/run.js`",
    "injected; `sst` = the platform's `src/components`, `aws` = `@pulumi/aws`), and runs it in a child",
    "process (`run-under-mocks.ts`) that provides what the CLI and the Pulumi engine otherwise provide:",
    "",
    "- the globals `$app` (from the config's own `app()` for the stage), `$cli` and `$dev`;",
    "- Pulumi's in-process mocks (`runtime.setMocks` of the platform's `@pulumi/pulumi`), which record",
    "  each registered resource with its inputs and answer with made-up computed attributes (ARNs,",
    "  Function URL hosts, bucket domains) in account 123456789012, `us-east-1`;",
    "- answers to the provider calls the components make (`getRegion`, `getPartition`,",
    "  `getCallerIdentity`, and `getPolicyDocument`, rendered as IAM's JSON);",
    "- the CLI's JSON-RPC server (`SST_SERVER`) for `Runtime.Build` (the server is OpenNext's prebuilt",
    "  bundle, handed back as is) and `Provider.Aws.Bootstrap` (the asset bucket's name);",
    "- a stack transformation registered after SST's own, to record the options they set",
    "  (`retainOnDelete` from the removal policy).",
    "",
    "SST's component code runs unchanged: it reads `.open-next/`, zips the functions and decides every",
    "property shown above. What only a real deploy shows is in docs/deploy.md.",
  );
  return `${lines.join("\n")}\n`;
}
