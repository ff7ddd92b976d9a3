/// <reference path="./.sst/platform/config.d.ts" />

/*
 * Firstbyte on AWS: one DynamoDB table, one Next.js server in Lambda, CloudFront in front.
 *
 * Why Lambda response streaming: a catalog page renders its shell at once and then one
 * Suspense boundary per DynamoDB Scan page. With a buffered Lambda the viewer sees nothing
 * until the last page is rendered; streamed, the shell leaves in tens of milliseconds and
 * each page follows as it is read. There is no `streaming` option here: open-next.config.ts
 * selects our own streaming wrapper (opennext-wrapper/streaming-wrapper.ts), OpenNext then
 * writes `"streaming": true` into .open-next/open-next.output.json, and sst.aws.Nextjs reads
 * that and creates the Function URL with InvokeMode RESPONSE_STREAM.
 *
 * Why a Function URL behind CloudFront and no API Gateway: a REST API integration buffers the
 * whole response by default (at most 10 MB and 29 s), HTTP APIs cannot stream at all, and
 * REST's opt-in STREAM transfer mode (2025) is billed on top, throttled after 10 MB and would
 * be one more hop in front of CloudFront. A Function URL relays each chunk as it is written;
 * CloudFront passes chunks through, serves the static assets from S3 and runs the
 * viewer-request function below. See docs/decisions/002-cloudfront-in-front-of-streaming.md.
 *
 * Offline, `npm run test:infra` runs this file for a dev stage and for production under Pulumi
 * mocks with SST's own components and checks what it would deploy; docs/infra.md lists it.
 * After `npx sst deploy --stage <name>`, the rows arrive in bursts, not in one piece:
 *   curl --no-buffer -N https://<cloudfront-domain>/bikes
 */

// Lambda's own limit is 900 s, but SST copies this value into the CloudFront origin read
// timeout (platform/src/components/aws/ssr-site.ts, `origin.timeouts.readTimeout`), and
// CloudFront accepts at most 60 s there without a quota increase (up to 180 s with one).
// The read timeout applies to the first byte and to every gap between chunks, not to the
// whole response; our pages keep bytes flowing (a Scan page every few hundred ms) and end in
// a few seconds, so 60 s is headroom, not a target.
const SERVER_TIMEOUT = "60 seconds";

// Only the actions the pages use. The table has no secondary index yet; a new index needs
// `${arn}/index/*` added here, on purpose.
const BIKES_READ_ACTIONS = ["dynamodb:Scan", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:DescribeTable"];

// A ceiling on the server's concurrent executions, so a burst of traffic (or a client in a loop)
// cannot run up the bill or the table's reads without bound; beyond it the Function URL answers
// 429 and CloudFront passes that on. Lambda reserves it out of the account's regional limit and
// keeps at least 100 unreserved, so an account still at a new account's low limit rejects the
// deploy (docs/decisions/010-server-concurrency-and-no-alias.md). Per stage: add `<stage>: <n>`.
const SERVER_RESERVED_CONCURRENCY: Record<string, number> = {};
const DEFAULT_SERVER_RESERVED_CONCURRENCY = 20;

// CloudFront compresses only responses with a Content-Length (1,000 to 10,000,000 bytes), so
// a chunked stream leaves the edge uncompressed whatever we do. Compressing in the function
// does not help: Function URLs strip a Content-Encoding set by the function, and behind
// CloudFront that has produced intermittent 502s. Removing accept-encoding here makes our
// streaming wrapper answer identity (it compresses only when the header asks for br or gzip).
// Hashed build assets are the exception: they come from S3 with a Content-Length, so the
// viewer's header is kept and CloudFront may still compress them. SST injects this at the top
// of its viewer-request CloudFront Function, before it picks the origin, so it runs for every
// request.
const STRIP_ACCEPT_ENCODING = `
  if (!event.request.uri.startsWith("/_next/static/")) {
    delete event.request.headers["accept-encoding"];
  }
`;

// CloudFront caches a 5xx from the origin for 10 s by default and ignores no-store on a 503 (only
// 404, 410, 414 and 501 honour it; docs/lambda-streaming.md §3). The app answers 503 with
// Retry-After: 5 when DynamoDB fails before a byte was sent (lib/scan-failure.ts
// RETRY_AFTER_SECONDS, docs/decisions/023-buffered-page-503.md): the edge keeps that 503 as long as
// Retry-After says, so a client that waits as told reaches the function again, while everyone
// asking for the same URL in between gets the 503 from the edge instead of adding to the load.
const UNAVAILABLE_ERROR_CACHING_S = 5;

// No single client takes the site down (docs/decisions/028-no-single-client-takes-the-site-down.md).
// A WAF web ACL on the distribution counts each client IP's requests over WAF's 5-minute window and
// answers 429 beyond the limit, at the edge, before CloudFront's cache or the function. Counted are
// all requests, hits included: a reader's page view is about 10 (the page, its scripts and styles).
// 2,000 in 5 minutes is a view every 1.5 s for 5 minutes from one address (an office behind one NAT
// included); a client looping on the catalog with a fresh query string (a miss every time) is
// stopped after 2,000 misses. The exports are whole-catalog reads: 20 per address in 5 minutes.
const RATE_LIMITS = {
  /** Requests per client IP per 5 minutes, any path. */
  requestsPerIp: 2000,
  /** Requests per client IP per 5 minutes to /api/bikes/export… */
  exportsPerIp: 20,
  /** WAF's window, seconds (60, 120, 300 or 600). */
  windowS: 300,
  /** Retry-After of the 429: the window, as the count only falls as requests leave it. */
  retryAfterS: 300,
} as const;

// The image optimizer SST deploys with every Next.js site: the app has no images (no next/image,
// nothing under /_next/image is linked), so it only needs to exist without costing anything if hit.
// A ceiling of 2 concurrent executions bounds that.
const IMAGE_OPTIMIZER_RESERVED_CONCURRENCY = 2;

export default $config({
  app(input) {
    return {
      name: "firstbyte",
      home: "aws",
      // `retain` keeps only data stores (SST's list in platform/src/auto/run.ts: tables, buckets,
      // databases), and of ours only the `Bikes` table: sst.aws.Nextjs creates its assets bucket
      // with retainOnDelete false. Functions, roles, the distribution and the assets are deleted
      // when the stage is removed (docs/infra.md, "kept on removal"). `protect` makes
      // `sst remove` refuse to run on production at all.
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
    };
  },
  async run() {
    // `link` is how the app finds the table (`Resource.Bikes.name` from "sst"), but a linked
    // Dynamo brings `dynamodb:*` on the table and everything under it
    // (platform/src/components/aws/dynamo.ts, getSSTLink). Adding `permissions` cannot take
    // that away, IAM policies only add up. Linkable.wrap replaces the link definition of every
    // sst.aws.Dynamo in this app: the same `name` property (so Resource.Bikes.name still
    // resolves), with a read-only policy. `sst shell` (the seed command) uses the caller's own
    // credentials, not this policy, so seeding can still write.
    sst.Linkable.wrap(sst.aws.Dynamo, (dynamo) => ({
      properties: { name: dynamo.name },
      include: [
        sst.aws.permission({
          actions: BIKES_READ_ACTIONS,
          resources: [dynamo.arn],
        }),
      ],
    }));

    const table = new sst.aws.Dynamo("Bikes", {
      fields: { id: "string" },
      primaryIndex: { hashKey: "id" },
      deletionProtection: $app.stage === "production",
      transform: {
        table: {
          // SST already turns PITR on; stated here so a change of default upstream cannot
          // silently drop it.
          pointInTimeRecovery: { enabled: true },
          // `enabled: true` moves encryption at rest from the AWS-owned key to the
          // AWS-managed KMS key (aws/dynamodb), which CloudTrail can audit.
          serverSideEncryption: { enabled: true },
        },
      },
    });

    // HSTS belongs to the HTTPS edge: the app itself also runs on plain HTTP (npm start). The policy
    // puts it on every response of the distribution, and gives what S3 serves the app's other
    // headers (lib/security-headers.ts); `override: false` keeps the function's own values, such as
    // SAMEORIGIN on the catalogs /compare frames (docs/decisions/014-http-hygiene-and-nonce-csp.md).
    // No includeSubdomains: a custom domain's other hosts are not this stack's to decide.
    const securityHeaders = new aws.cloudfront.ResponseHeadersPolicy("SecurityHeaders", {
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: 31536000, includeSubdomains: false, override: true },
        contentTypeOptions: { override: false },
        frameOptions: { frameOption: "DENY", override: false },
        referrerPolicy: { referrerPolicy: "no-referrer", override: false },
      },
    });

    // CloudFront web ACLs live in us-east-1 whatever the stage's region.
    const usEast1 = new aws.Provider("WafUsEast1", { region: "us-east-1" });
    const rateLimitResponse = {
      responseCode: 429,
      customResponseBodyKey: "rate-limited",
      responseHeaders: [{ name: "retry-after", value: String(RATE_LIMITS.retryAfterS) }],
    };
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const webAcl = new aws.wafv2.WebAcl(
      "RateLimit",
      {
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        customResponseBodies: [
          {
            key: "rate-limited",
            contentType: "TEXT_PLAIN",
            content: `Too many requests from your address: at most ${RATE_LIMITS.requestsPerIp} in ${RATE_LIMITS.windowS / 60} minutes (${RATE_LIMITS.exportsPerIp} exports). Try again in ${RATE_LIMITS.retryAfterS / 60} minutes.\n`,
          },
        ],
        rules: [
          {
            name: "exports-per-ip",
            priority: 0,
            action: { block: { customResponse: rateLimitResponse } },
            statement: {
              rateBasedStatement: {
                limit: RATE_LIMITS.exportsPerIp,
                aggregateKeyType: "IP",
                evaluationWindowSec: RATE_LIMITS.windowS,
                scopeDownStatement: {
                  byteMatchStatement: {
                    searchString: "/api/bikes/export",
                    positionalConstraint: "STARTS_WITH",
                    fieldToMatch: { uriPath: {} },
                    textTransformations: [{ priority: 0, type: "NONE" }],
                  },
                },
              },
            },
            visibilityConfig: visibility("exports-per-ip"),
          },
          {
            name: "requests-per-ip",
            priority: 1,
            action: { block: { customResponse: rateLimitResponse } },
            statement: {
              rateBasedStatement: {
                limit: RATE_LIMITS.requestsPerIp,
                aggregateKeyType: "IP",
                evaluationWindowSec: RATE_LIMITS.windowS,
              },
            },
            visibilityConfig: visibility("requests-per-ip"),
          },
        ],
        visibilityConfig: visibility("firstbyte-rate-limit"),
      },
      { provider: usEast1 },
    );

    const site = new sst.aws.Nextjs("Site", {
      // The project's own build: OpenNext (the app's @opennextjs/aws devDependency, so no
      // `openNextVersion` here) followed by the bundle check of scripts/build-lambda.ts, which
      // fails the deploy when the server is not streaming or lost our wrapper. SST runs this
      // command on every deploy (a local Command with a fresh trigger), so it cannot be skipped.
      buildCommand: "npm run build:lambda",
      link: [table],
      server: {
        runtime: "nodejs22.x",
        // Lambda allots CPU in proportion to memory (one full vCPU at 1,769 MB): 2048 MB gives
        // the render thread a whole core plus some for GC; the default 1024 MB gives ~0.6.
        memory: "2048 MB",
        timeout: SERVER_TIMEOUT,
      },
      transform: {
        server: (args) => {
          // SST gives every Next.js server writes for OpenNext's ISR caches: S3 Get/Put/Delete
          // on the assets bucket and cloudfront:CreateInvalidation on "*" (ssr-site.ts), plus,
          // while those functions existed, the revalidation table and queue (nextjs.ts). The
          // app renders every page on request and reads only `Bikes`, whose read-only policy
          // comes with the link above; so the server gets nothing else.
          args.permissions = [];
          args.concurrency = {
            reserved: SERVER_RESERVED_CONCURRENCY[$app.stage] ?? DEFAULT_SERVER_RESERVED_CONCURRENCY,
          };
          // No published version or alias: docs/decisions/010-server-concurrency-and-no-alias.md.
        },
        cdn: (args) => {
          // SST's one cache behaviour serves the function and S3 alike.
          args.defaultCacheBehavior = $util
            .all([args.defaultCacheBehavior, securityHeaders.id])
            .apply(([behavior, policyId]) => ({ ...behavior, responseHeadersPolicyId: policyId }));
          // No response page: the function's own 503 document is what the viewer gets.
          args.customErrorResponses = [{ errorCode: 503, errorCachingMinTtl: UNAVAILABLE_ERROR_CACHING_S }];
          // The per-client rate limit (RATE_LIMITS above); SST passes it on as the distribution's webAclId.
          args.webAclArn = webAcl.arn;
        },
        imageOptimizer: (args) => {
          args.concurrency = { reserved: IMAGE_OPTIMIZER_RESERVED_CONCURRENCY };
        },
      },
      // "oac": the Function URL takes only SigV4-signed requests from this distribution, so
      // nobody can skip CloudFront (and the accept-encoding rule above) by calling the URL,
      // or run up invocations that keep being billed after the client goes away. OAC cannot
      // sign a request body the viewer did not hash, so POST/PUT would need an
      // x-amz-content-sha256 header from the client; the app serves GET pages and GET /api
      // routes only. Adding Server Actions or forms means "oac-with-edge-signing".
      protection: "oac",
      edge: {
        viewerRequest: { injection: STRIP_ACCEPT_ENCODING },
      },
      // Caching: SST's default policy is kept on purpose. Its TTLs default to 0 and follow the
      // origin's Cache-Control (minimum 0, every query string in the key, no cookies), so the
      // catalog's whole responses are stored for their s-maxage and served stale while one reader
      // refreshes them, failed streams (cut off) and private pages are never stored, and hashed
      // assets stay cached (docs/decisions/027-catalog-at-the-edge.md). The managed
      // CachingDisabled policy would lose all of that.
      // The origin request policy is SST's default too: the managed AllViewerExceptHostHeader,
      // since a Function URL rejects a Host header that is not its own.
    });

    return {
      url: site.url,
      table: table.name,
    };
  },
});
