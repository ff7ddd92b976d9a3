/// <reference path="./.sst/platform/config.d.ts" />

// Firstbyte on AWS: one DynamoDB table, one Next.js server in Lambda behind a streaming Function
// URL, CloudFront in front. `npm run infra:test` runs this file offline; docs/infra.md lists it.
// Why each setting: docs/decisions/034-stack-configuration.md.

// CloudFront's origin read timeout takes this value and accepts at most 60 s (docs/decisions/034-stack-configuration.md).
const SERVER_TIMEOUT = "60 seconds";

// Exactly the actions the app calls (Scan, GetItem); a secondary index would need `${arn}/index/*`.
const BIKES_READ_ACTIONS = ["dynamodb:Scan", "dynamodb:GetItem"];

// Bounds the bill and the reads under a burst; per stage: add `<stage>: <n>`
// (docs/decisions/010-server-concurrency-and-no-alias.md).
const SERVER_RESERVED_CONCURRENCY: Record<string, number> = {};
const DEFAULT_SERVER_RESERVED_CONCURRENCY = 20;

// A chunked stream leaves CloudFront uncompressed, so the function answers identity; hashed
// assets from S3 keep the viewer's header (docs/decisions/034-stack-configuration.md).
const STRIP_ACCEPT_ENCODING = `
  if (!event.request.uri.startsWith("/_next/static/")) {
    delete event.request.headers["accept-encoding"];
  }
`;

// The edge keeps a 503 as long as its Retry-After (lib/scan-failure.ts RETRY_AFTER_SECONDS).
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
      // Production keeps its `Bikes` table on removal and refuses `sst remove`.
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
    };
  },
  async run() {
    // A linked Dynamo would bring `dynamodb:*`; the same link, read-only (the seed uses the caller's
    // own credentials through `sst shell`).
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
          // Stated although SST's default, so a change upstream cannot drop it.
          pointInTimeRecovery: { enabled: true },
          // The AWS-managed KMS key (aws/dynamodb), which CloudTrail can audit.
          serverSideEncryption: { enabled: true },
        },
      },
    });

    // HSTS at the HTTPS edge; `override: false` keeps the function's own headers
    // (docs/decisions/014-http-hygiene-and-nonce-csp.md).
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
      // OpenNext, then the bundle check: a deploy of a bundle that does not stream fails.
      buildCommand: "npm run build:lambda",
      link: [table],
      server: {
        runtime: "nodejs22.x",
        // A whole vCPU for the render thread (Lambda allots CPU in proportion to memory).
        memory: "2048 MB",
        timeout: SERVER_TIMEOUT,
      },
      transform: {
        server: (args) => {
          // Nothing but the read-only link: no ISR cache writes, no invalidations.
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
      // Only this distribution may call the Function URL (SigV4); GET only, so no body to sign.
      protection: "oac",
      edge: {
        viewerRequest: { injection: STRIP_ACCEPT_ENCODING },
      },
      // SST's default cache and origin request policies, on purpose: its TTLs follow the origin's
      // Cache-Control (docs/decisions/034-stack-configuration.md, 027-catalog-at-the-edge.md).
    });

    return {
      url: site.url,
      table: table.name,
    };
  },
});
