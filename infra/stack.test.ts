// `npm run infra:test`: sst.config.ts for a dev stage and for production, run under Pulumi mocks
// with SST's own components (record-stack.ts), held to the stack's promises (stack-checks.ts);
// the generated viewer-request function executed against sample requests; docs/infra.md kept
// current; and each check shown to fail on a recording broken the way a careless edit would.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { renderInfraDoc, SAMPLE_ACCEPT_ENCODING } from "./infra-doc";
import { ROOT, recordStack } from "./record-stack";
import type { RecordedResource, StackRecording } from "./recording";
import {
  byType,
  checkBuild,
  checkCachePolicy,
  checkConcurrencyCeilings,
  checkNoUnusedMachinery,
  checkRateLimit,
  checkReadTimeout,
  checkSecurityHeaders,
  checkServer,
  checkServerBuild,
  checkServerRole,
  checkStack,
  checkTable,
  checkUnavailableCaching,
  roleOf,
  serverFunction,
} from "./stack-checks";
import { runViewerRequest, viewerRequestOf } from "./viewer-request";

/** sst.config.ts's default, which neither stage overrides. */
const RESERVED_CONCURRENCY = 20;
/** sst.config.ts's ceiling for the image optimizer, which the app does not use. */
const IMAGE_OPTIMIZER_CONCURRENCY = 2;
const STAGES = ["dev", "production"];

const recordings = new Map<string, StackRecording>();

before(async () => {
  const recorded = await Promise.all(STAGES.map((stage) => recordStack(stage)));
  for (const recording of recorded) recordings.set(recording.stage, recording);
});

function recording(stage: string): StackRecording {
  const found = recordings.get(stage);
  assert.ok(found, `no recording for ${stage}`);
  return found;
}

function one(resources: RecordedResource[], what: string): RecordedResource {
  assert.equal(resources.length, 1, `expected one ${what}`);
  return resources[0]!;
}

function serverUrlHost(stack: StackRecording): string {
  const fn = serverFunction(stack);
  assert.ok(fn);
  const url = one(
    byType(stack, "aws:lambda/functionUrl:FunctionUrl").filter((item) => item.inputs.functionName === fn.inputs.name),
    "server Function URL",
  );
  return new URL(String(url.computed.functionUrl)).host;
}

function assetsBucketDomain(stack: StackRecording): string {
  return String(one(byType(stack, "aws:s3/bucket:Bucket"), "bucket").computed.bucketRegionalDomainName);
}

for (const stage of STAGES) {
  describe(`stage ${stage}`, () => {
    test("the server streams, runs as configured and is reachable only through CloudFront", () => {
      assert.deepEqual(checkServer(recording(stage), RESERVED_CONCURRENCY), []);
    });

    test("the server role reads Bikes and writes nothing", () => {
      assert.deepEqual(checkServerRole(recording(stage)), []);
    });

    test("one DynamoDB table: on demand, hash key id, PITR and SSE; production protected and kept", () => {
      assert.deepEqual(checkTable(recording(stage)), []);
    });

    test("no queue, no event source, no deploy-time invocation, no function beyond server and images", () => {
      assert.deepEqual(checkNoUnusedMachinery(recording(stage)), []);
    });

    test("the deploy builds with npm run build:lambda (OpenNext, then the bundle check)", () => {
      assert.deepEqual(checkBuild(recording(stage)), []);
    });

    test("the server runs OpenNext's bundle and finds the table as Resource.Bikes.name", () => {
      assert.deepEqual(checkServerBuild(recording(stage)), []);
    });

    test("HSTS for a year on every response of the distribution, the function's and S3's", () => {
      assert.deepEqual(checkSecurityHeaders(recording(stage)), []);
    });

    test("a WAF rate-based rule per client IP on the distribution answers 429", () => {
      assert.deepEqual(checkRateLimit(recording(stage)), []);
    });

    test("every function has a concurrency ceiling, the image optimizer included", () => {
      assert.deepEqual(checkConcurrencyCeilings(recording(stage)), []);
      const images = byType(recording(stage), "aws:lambda/function:Function").filter((fn) =>
        /ImageOptimizer/.test(fn.name),
      );
      for (const fn of images) assert.equal(fn.inputs.reservedConcurrentExecutions, IMAGE_OPTIMIZER_CONCURRENCY);
    });

    test("the cache policy lets the origin's Cache-Control decide, keyed on every query string", () => {
      assert.deepEqual(checkCachePolicy(recording(stage)), []);
    });

    test("a 503 stays at the edge no longer than its Retry-After, with the function's own document", () => {
      assert.deepEqual(checkUnavailableCaching(recording(stage)), []);
    });

    for (const page of ["/bikes", "/api/bikes"]) {
      test(`viewer request ${page}: to the server's Function URL, signed, identity, read timeout = function timeout`, async () => {
        const stack = recording(stage);
        const result = await runViewerRequest(stack, page, { "accept-encoding": SAMPLE_ACCEPT_ENCODING });
        assert.equal(result.origin?.domainName, serverUrlHost(stack));
        assert.equal(result.origin?.originAccessControlConfig?.enabled, true);
        assert.equal(result.origin?.originAccessControlConfig?.originType, "lambda");
        assert.deepEqual(checkReadTimeout(result.origin?.timeouts?.readTimeout, stack), []);
        assert.equal(result.request.uri, page);
        assert.equal(result.request.headers["accept-encoding"], undefined, "accept-encoding must not reach the server");
        assert.equal(result.request.headers["x-forwarded-host"]?.value, result.request.headers.host?.value);
      });
    }

    test("viewer request /_next/static/…: to the assets bucket with the viewer's accept-encoding", async () => {
      const stack = recording(stage);
      const result = await runViewerRequest(stack, "/_next/static/chunks/app.js", {
        "accept-encoding": SAMPLE_ACCEPT_ENCODING,
      });
      assert.equal(result.origin?.domainName, assetsBucketDomain(stack));
      assert.equal(result.origin?.originAccessControlConfig?.originType, "s3");
      assert.equal(result.request.uri, "/_assets/_next/static/chunks/app.js");
      assert.equal(result.request.headers["accept-encoding"]?.value, SAMPLE_ACCEPT_ENCODING);
    });

    test("viewer request /BUILD_ID: to the assets bucket, accept-encoding removed", async () => {
      const stack = recording(stage);
      const result = await runViewerRequest(stack, "/BUILD_ID", { "accept-encoding": SAMPLE_ACCEPT_ENCODING });
      assert.equal(result.origin?.domainName, assetsBucketDomain(stack));
      assert.equal(result.request.uri, "/_assets/BUILD_ID");
      assert.equal(result.request.headers["accept-encoding"], undefined);
    });
  });
}

test("docs/infra.md is what the recordings render (else: npm run infra:doc)", async () => {
  const rendered = await renderInfraDoc(STAGES.map(recording));
  const committed = readFileSync(path.join(ROOT, "docs", "infra.md"), "utf8");
  assert.ok(committed === rendered, "docs/infra.md is stale: run npm run infra:doc and commit it");
});

/** A deep copy of the dev recording with `mutate` applied, as a careless change of sst.config.ts would. */
function broken(mutate: (stack: StackRecording) => void): StackRecording {
  const copy = structuredClone(recording("dev"));
  mutate(copy);
  return copy;
}

function serverUrl(stack: StackRecording): RecordedResource {
  const fn = serverFunction(stack)!;
  return byType(stack, "aws:lambda/functionUrl:FunctionUrl").find((url) => url.inputs.functionName === fn.inputs.name)!;
}

function addServerStatement(stack: StackRecording, action: string, resource: string): void {
  const role = roleOf(stack, serverFunction(stack)!)!;
  const policies = role.inputs.inlinePolicies as { policy: string }[];
  const document = JSON.parse(policies[0]!.policy) as { Statement: unknown[] };
  document.Statement.push({ Effect: "Allow", Action: [action], Resource: [resource] });
  policies[0]!.policy = JSON.stringify(document);
}

/** Takes `action` out of every statement of the role's inline policies. */
function withoutServerAction(role: RecordedResource, action: string): void {
  for (const policy of role.inputs.inlinePolicies as { policy: string }[]) {
    const document = JSON.parse(policy.policy) as { Statement: { Action: string | string[] }[] };
    for (const statement of document.Statement) {
      const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      statement.Action = actions.filter((name) => name !== action);
    }
    policy.policy = JSON.stringify(document);
  }
}

function matching(problems: string[], pattern: RegExp): void {
  assert.ok(
    problems.some((problem) => pattern.test(problem)),
    `expected a problem matching ${pattern}, got ${JSON.stringify(problems)}`,
  );
}

describe("the checks fail on a broken stack", () => {
  test("the unbroken dev recording passes every check", () => {
    assert.deepEqual(checkStack(recording("dev"), RESERVED_CONCURRENCY), []);
  });

  test("the 503 error caching dropped, longer than Retry-After, or a custom page in its place", () => {
    const unavailable = (stack: StackRecording) =>
      (
        byType(stack, "aws:cloudfront/distribution:Distribution")[0]!.inputs.customErrorResponses as {
          errorCode: number;
          errorCachingMinTtl?: number;
          responsePagePath?: string;
        }[]
      ).find((response) => response.errorCode === 503)!;
    matching(
      checkStack(
        broken((stack) => {
          delete byType(stack, "aws:cloudfront/distribution:Distribution")[0]!.inputs.customErrorResponses;
        }),
        RESERVED_CONCURRENCY,
      ),
      /caches a 503 for CloudFront's default 10 s/,
    );
    matching(
      checkStack(
        broken((stack) => {
          unavailable(stack).errorCachingMinTtl = 60;
        }),
        RESERVED_CONCURRENCY,
      ),
      /caches a 503 for 60 s, longer than its Retry-After \(5 s\)/,
    );
    matching(
      checkStack(
        broken((stack) => {
          unavailable(stack).responsePagePath = "/503.html";
        }),
        RESERVED_CONCURRENCY,
      ),
      /replaces the function's 503 with \/503.html/,
    );
  });

  test("the response headers policy dropped from the distribution, or its HSTS shortened", () => {
    matching(
      checkStack(
        broken((stack) => {
          const distribution = byType(stack, "aws:cloudfront/distribution:Distribution")[0]!;
          delete (distribution.inputs.defaultCacheBehavior as { responseHeadersPolicyId?: string })
            .responseHeadersPolicyId;
        }),
        RESERVED_CONCURRENCY,
      ),
      /no response headers policy/,
    );
    matching(
      checkStack(
        broken((stack) => {
          const policy = byType(stack, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")[0]!;
          (
            policy.inputs.securityHeadersConfig as { strictTransportSecurity: { accessControlMaxAgeSec: number } }
          ).strictTransportSecurity.accessControlMaxAgeSec = 300;
        }),
        RESERVED_CONCURRENCY,
      ),
      /HSTS max-age 300 s, under a year/,
    );
  });

  test("Function URL switched to BUFFERED", () => {
    matching(
      checkStack(
        broken((stack) => {
          serverUrl(stack).inputs.invokeMode = "BUFFERED";
        }),
        RESERVED_CONCURRENCY,
      ),
      /invoke mode is BUFFERED, not RESPONSE_STREAM/,
    );
  });

  test("Function URL open to anyone", () => {
    const stack = broken((copy) => {
      serverUrl(copy).inputs.authorizationType = "NONE";
      const fn = serverFunction(copy)!;
      copy.resources.push({
        type: "aws:lambda/permission:Permission",
        name: "PublicAccess",
        custom: true,
        inputs: { action: "lambda:InvokeFunctionUrl", function: fn.inputs.name, principal: "*" },
        computed: {},
        options: { retainOnDelete: false, protect: false },
      });
    });
    const problems = checkStack(stack, RESERVED_CONCURRENCY);
    matching(problems, /authorization is NONE/);
    matching(problems, /PublicAccess lets \* lambda:InvokeFunctionUrl/);
  });

  for (const [action, resource] of [
    ["dynamodb:PutItem", "BikesTable"],
    ["dynamodb:BatchWriteItem", "BikesTable"],
    ["s3:PutObject", "SiteAssetsBucket"],
    ["sqs:SendMessage", "*"],
    ["cloudfront:CreateInvalidation", "*"],
    ["dynamodb:*", "BikesTable"],
  ] as const) {
    test(`write action ${action} added to the server role`, () => {
      const stack = broken((copy) => {
        const target = copy.resources.find((item) => item.name === resource);
        addServerStatement(copy, action, target ? String(target.computed.arn) : resource);
      });
      matching(checkServerRole(stack), new RegExp(`may ${action.replace("*", "\\*")} on .*must write nothing`));
    });
  }

  for (const action of ["dynamodb:Query", "dynamodb:DescribeTable", "dynamodb:BatchGetItem"]) {
    test(`read action ${action}, which the app never calls, added to the server role`, () => {
      const stack = broken((copy) => {
        const table = copy.resources.find((item) => item.name === "BikesTable");
        addServerStatement(copy, action, String(table?.computed.arn));
      });
      matching(checkServerRole(stack), new RegExp(`may ${action}, which the pages do not use`));
    });
  }

  for (const action of ["dynamodb:Scan", "dynamodb:GetItem"]) {
    test(`${action} taken from the server role`, () => {
      const stack = broken((copy) => withoutServerAction(roleOf(copy, serverFunction(copy)!)!, action));
      matching(checkServerRole(stack), new RegExp(`lacks ${action} on the Bikes table`));
    });
  }

  test("the server role reading another table", () => {
    const stack = broken((copy) => addServerStatement(copy, "dynamodb:GetItem", "arn:aws:dynamodb:::table/Other"));
    matching(checkServerRole(stack), /reaches arn:aws:dynamodb:::table\/Other, not only the Bikes table/);
  });

  test("the web ACL dropped from the distribution, its rate rule set to count, or its limit lifted", () => {
    const acl = (stack: StackRecording) => byType(stack, "aws:wafv2/webAcl:WebAcl")[0]!;
    const rules = (stack: StackRecording) =>
      acl(stack).inputs.rules as {
        name: string;
        action: Record<string, unknown>;
        statement: { rateBasedStatement: { limit: number } };
      }[];
    matching(
      checkStack(
        broken((stack) => {
          delete byType(stack, "aws:cloudfront/distribution:Distribution")[0]!.inputs.webAclId;
        }),
        RESERVED_CONCURRENCY,
      ),
      /no WAF web ACL/,
    );
    matching(
      checkStack(
        broken((stack) => {
          for (const rule of rules(stack)) rule.action = { count: {} };
        }),
        RESERVED_CONCURRENCY,
      ),
      /does not block/,
    );
    matching(
      checkStack(
        broken((stack) => {
          for (const rule of rules(stack)) rule.statement.rateBasedStatement.limit = 2_000_000;
        }),
        RESERVED_CONCURRENCY,
      ),
      /allows 2000000 requests/,
    );
  });

  test("the image optimizer's ceiling removed", () => {
    const stack = broken((copy) => {
      for (const fn of byType(copy, "aws:lambda/function:Function"))
        if (/ImageOptimizer/.test(fn.name)) delete fn.inputs.reservedConcurrentExecutions;
    });
    matching(checkStack(stack, RESERVED_CONCURRENCY), /ImageOptimizer.* has no concurrency ceiling/);
  });

  test("a cache policy with a minimum TTL, or without the query string in its key", () => {
    const policy = (stack: StackRecording) =>
      byType(stack, "aws:cloudfront/cachePolicy:CachePolicy")[0]!.inputs as {
        minTtl: number;
        parametersInCacheKeyAndForwardedToOrigin: { queryStringsConfig: { queryStringBehavior: string } };
      };
    matching(
      checkStack(
        broken((stack) => {
          policy(stack).minTtl = 60;
        }),
        RESERVED_CONCURRENCY,
      ),
      /minimum TTL 60 s/,
    );
    matching(
      checkStack(
        broken((stack) => {
          policy(stack).parametersInCacheKeyAndForwardedToOrigin.queryStringsConfig.queryStringBehavior = "none";
        }),
        RESERVED_CONCURRENCY,
      ),
      /keys on query strings "none"/,
    );
  });

  test("reserved concurrency removed", () => {
    const stack = broken((copy) => {
      delete serverFunction(copy)!.inputs.reservedConcurrentExecutions;
    });
    matching(checkStack(stack, RESERVED_CONCURRENCY), /reserved concurrency is not set, not 20/);
  });

  test("timeout raised beyond what CloudFront's read timeout allows", () => {
    const stack = broken((copy) => {
      serverFunction(copy)!.inputs.timeout = 120;
    });
    matching(checkStack(stack, RESERVED_CONCURRENCY), /server timeout is 120 s/);
    matching(checkReadTimeout(120, stack), /at most 60 s/);
    matching(checkReadTimeout(60, stack), /not the function's 120 s/);
  });

  test("OpenNext's revalidation machinery back (queue, seeder invocation, second table)", () => {
    const stack = broken((copy) => {
      const extra = (type: string, name: string): RecordedResource => ({
        type,
        name,
        custom: true,
        inputs: {},
        computed: {},
        options: { retainOnDelete: false, protect: false },
      });
      copy.resources.push(
        extra("aws:sqs/queue:Queue", "SiteRevalidationEventsQueue"),
        extra("aws:lambda/invocation:Invocation", "SiteRevalidationSeed"),
        extra("aws:dynamodb/table:Table", "SiteRevalidationTable"),
        extra("aws:lambda/function:Function", "SiteRevalidationSeederFunction"),
      );
    });
    const problems = checkStack(stack, RESERVED_CONCURRENCY);
    matching(problems, /an SQS queue: SiteRevalidationEventsQueue/);
    matching(problems, /invoked at deploy time: SiteRevalidationSeed/);
    matching(problems, /2 DynamoDB tables/);
    matching(problems, /function SiteRevalidationSeederFunction/);
  });

  test("production table without deletion protection or retention", () => {
    const production = structuredClone(recording("production"));
    const table = one(byType(production, "aws:dynamodb/table:Table"), "table");
    table.inputs.deletionProtectionEnabled = false;
    table.options.retainOnDelete = false;
    const problems = checkTable(production);
    matching(problems, /deletion protection is off on production/);
    matching(problems, /deleted on removal of production/);
  });

  // Each of the table's promises, broken alone on a copy of the dev recording: its check names it.
  for (const [what, mutate, pattern] of [
    [
      "provisioned billing",
      (input: Record<string, unknown>) => {
        input.billingMode = "PROVISIONED";
      },
      /table billing is PROVISIONED, not on demand/,
    ],
    [
      "another hash key",
      (input: Record<string, unknown>) => {
        input.hashKey = "bikeId";
      },
      /table key is bikeId\/-, not hash key id alone/,
    ],
    [
      "a range key",
      (input: Record<string, unknown>) => {
        input.rangeKey = "year";
      },
      /table key is id\/year, not hash key id alone/,
    ],
    [
      "a numeric id",
      (input: Record<string, unknown>) => {
        input.attributes = [{ name: "id", type: "N" }];
      },
      /table attribute id is N, not a string/,
    ],
    [
      "point-in-time recovery off",
      (input: Record<string, unknown>) => {
        input.pointInTimeRecovery = { enabled: false };
      },
      /point-in-time recovery is off/,
    ],
    [
      "encryption off",
      (input: Record<string, unknown>) => {
        delete input.serverSideEncryption;
      },
      /encryption with the AWS-managed key is off/,
    ],
    [
      "deletion protection on a dev stage",
      (input: Record<string, unknown>) => {
        input.deletionProtectionEnabled = true;
      },
      /table deletion protection is on on dev/,
    ],
  ] as const) {
    test(`table with ${what}`, () => {
      const stack = broken((copy) => mutate(one(byType(copy, "aws:dynamodb/table:Table"), "table").inputs));
      const problems = checkTable(stack);
      matching(problems, pattern);
      assert.equal(problems.length, 1, `only that problem: ${JSON.stringify(problems)}`);
    });
  }

  test("sst remove refused on a dev stage, allowed on production", () => {
    matching(
      checkTable(
        broken((copy) => {
          copy.app.protect = true;
        }),
      ),
      /sst remove is refused on dev/,
    );
    const production = structuredClone(recording("production"));
    production.app.protect = false;
    matching(checkTable(production), /sst remove is allowed on production/);
  });

  test("a dev table kept on removal", () => {
    const stack = broken((copy) => {
      one(byType(copy, "aws:dynamodb/table:Table"), "table").options.retainOnDelete = true;
    });
    matching(checkTable(stack), /table is retained on removal of dev/);
  });

  test("the server's link to the table lost", () => {
    const stack = broken((copy) => {
      for (const build of copy.builds) build.links = {};
    });
    matching(checkStack(stack, RESERVED_CONCURRENCY), /Resource\.Bikes\.name in the server would be missing/);
  });

  test("the deploy's build command replaced by OpenNext's own", () => {
    const stack = broken((copy) => {
      const builder = one(byType(copy, "command:local:Command"), "build command");
      builder.inputs.create = "npx --yes @opennextjs/aws@4.1.12 build";
    });
    matching(checkBuild(stack), /not "npm run build:lambda"/);
  });

  test("the accept-encoding injection dropped from the viewer-request function", async () => {
    const stack = broken((copy) => {
      const { code } = viewerRequestOf(copy);
      const fn = byType(copy, "aws:cloudfront/function:Function").find((item) => item.inputs.code === code)!;
      fn.inputs.code = code.replace(/delete event\.request\.headers\["accept-encoding"\];/, "");
    });
    const result = await runViewerRequest(stack, "/bikes", { "accept-encoding": SAMPLE_ACCEPT_ENCODING });
    assert.equal(result.request.headers["accept-encoding"]?.value, SAMPLE_ACCEPT_ENCODING);
  });
});
