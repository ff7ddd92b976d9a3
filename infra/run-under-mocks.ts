// Child process of record-stack.ts: runs the bundled sst.config.ts for one stage under Pulumi's
// in-process mocks and prints every registered resource as JSON on stdout.
//
// What `sst deploy` provides and this stands in for (docs/infra.md, "How the stack is recorded"):
// the globals $app, $cli and $dev; the Pulumi engine (here `runtime.setMocks`, so nothing is
// created and no AWS account is needed); the CLI's JSON-RPC server at SST_SERVER, which SST's
// components call for `Runtime.Build` and `Provider.Aws.Bootstrap`; and the provider calls
// (invokes) the components make, answered below with a fixed account and region.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { FunctionBuild, RecordedResource, StackRecording } from "./recording";

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "us-east-1";

interface MockResourceArgs {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  custom?: boolean;
  id?: string;
}
interface MockCallArgs {
  token: string;
  inputs: Record<string, unknown>;
}
/** The part of @pulumi/pulumi used here; the module is SST's own copy in .sst/platform. */
interface PulumiModule {
  runtime: {
    setMocks(
      mocks: {
        newResource(args: MockResourceArgs): { id: string; state: Record<string, unknown> };
        call(args: MockCallArgs): Record<string, unknown>;
      },
      project: string,
      stack: string,
      preview: boolean,
    ): Promise<void>;
    runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
    registerStackTransformation(
      transformation: (args: { type: string; name: string; opts: ResourceOptions }) => undefined,
    ): void;
  };
}
interface SstConfig {
  app(input: { stage: string }): { name: string; removal?: string; protect?: boolean; home: string };
  run(): Promise<unknown>;
}
interface ConfigBundle {
  run(program: () => Promise<unknown>): Promise<Record<string, unknown>>;
  config: SstConfig;
}

interface ResourceOptions {
  retainOnDelete?: boolean;
  protect?: boolean;
}

type Statement = {
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
};

/** What AWS computes for a resource (beyond its inputs), enough for SST's components to keep going. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const physical = typeof inputs.name === "string" ? inputs.name : `${name}-mock`;
  const state: Record<string, unknown> = {
    arn: `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${physical}`,
    name: physical,
  };
  if (type === "aws:lambda/function:Function") {
    state.qualifiedArn = `${state.arn}:$LATEST`;
    state.invokeArn = `arn:aws:apigateway:${MOCK_REGION}:lambda:path/functions/${state.arn}/invocations`;
    state.version = inputs.publish === true ? "1" : "$LATEST";
    state.codeSha256 = "mock-code-sha256";
  }
  if (type === "aws:lambda/functionUrl:FunctionUrl")
    state.functionUrl = `https://${createHash("sha256").update(name).digest("hex").slice(0, 32)}.lambda-url.${MOCK_REGION}.on.aws/`;
  if (type === "aws:s3/bucketV2:BucketV2" || type === "aws:s3/bucket:Bucket") {
    state.bucket = physical;
    state.bucketRegionalDomainName = `${physical}.s3.${MOCK_REGION}.amazonaws.com`;
  }
  if (type === "aws:cloudfront/distribution:Distribution") state.domainName = "d111111abcdef8.cloudfront.net";
  if (type === "aws:sqs/queue:Queue")
    state.url = `https://sqs.${MOCK_REGION}.amazonaws.com/${MOCK_ACCOUNT}/${physical}`;
  return state;
}

/** iam.getPolicyDocument: echoes its inputs and renders the statements in IAM's JSON, in `json`. */
function policyDocument(inputs: Record<string, unknown>): Record<string, unknown> {
  const statements = (inputs.statements as Statement[] | undefined) ?? [];
  const json = JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((statement) => ({
      Effect: statement.effect ?? "Allow",
      ...(statement.principals
        ? {
            Principal: Object.fromEntries(
              statement.principals.map((principal) => [principal.type, principal.identifiers]),
            ),
          }
        : {}),
      Action: statement.actions,
      Resource: statement.resources,
      ...(statement.conditions
        ? {
            Condition: Object.fromEntries(
              statement.conditions.map((condition) => [condition.test, { [condition.variable]: condition.values }]),
            ),
          }
        : {}),
    })),
  });
  return { ...inputs, json };
}

function answerInvoke({ token, inputs }: MockCallArgs): Record<string, unknown> {
  switch (token) {
    case "aws:index/getRegion:getRegion":
      return { name: MOCK_REGION, region: MOCK_REGION, id: MOCK_REGION, description: "US East (N. Virginia)" };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT,
        arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/mock`,
        userId: "mock",
        id: MOCK_ACCOUNT,
      };
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return policyDocument(inputs);
    default:
      throw new Error(`run-under-mocks: no mocked answer for the provider call ${token}; add one`);
  }
}

/** The SST CLI's JSON-RPC server, for the two methods a deploy of this stack calls. */
function startRpcServer(calls: string[], builds: FunctionBuild[]): Promise<Server> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      const { method, params } = JSON.parse(body) as { method: string; params: [Record<string, unknown>] };
      const input = params[0];
      calls.push(method);
      let result: unknown;
      let error: string | undefined;
      if (method === "Runtime.Build") {
        // A prebuilt bundle (OpenNext's output): the CLI builds nothing and hands it back.
        if (typeof input.bundle === "string") {
          builds.push({
            functionID: String(input.functionID),
            bundle: input.bundle,
            handler: String(input.handler),
            links: (input.links ?? {}) as FunctionBuild["links"],
          });
          result = { handler: input.handler, out: input.bundle, errors: [], sourcemaps: [] };
        } else error = `Runtime.Build for ${String(input.functionID)} has no prebuilt bundle`;
      } else if (method === "Provider.Aws.Bootstrap") {
        result = {
          asset: `sst-asset-mock-${MOCK_REGION}`,
          assetEcrRegistryId: MOCK_ACCOUNT,
          assetEcrUrl: `${MOCK_ACCOUNT}.dkr.ecr.${MOCK_REGION}.amazonaws.com/sst-asset`,
          state: `sst-state-mock-${MOCK_REGION}`,
          appsyncHttp: "",
          appsyncRealtime: "",
        };
      } else error = `rpc: can't find method ${method}`;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ result, error }));
    });
  });
  // Unreferenced: the process ends when the program is done, not when this server is.
  server.unref();
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function main(): Promise<void> {
  const [bundlePath, stage, workDir] = process.argv.slice(2);
  if (!bundlePath || !stage || !workDir) throw new Error("usage: run-under-mocks <bundle.mjs> <stage> <work dir>");
  const platform = path.dirname(bundlePath);
  const root = path.resolve(platform, "..", "..");
  // The same @pulumi/pulumi instance as the bundle's external import (both resolve from .sst/platform).
  const pulumi = createRequire(path.join(platform, "package.json"))("@pulumi/pulumi") as PulumiModule;

  const rpcCalls: string[] = [];
  const builds: FunctionBuild[] = [];
  const rpc = await startRpcServer(rpcCalls, builds);
  const address = rpc.address();
  if (address === null || typeof address === "string") throw new Error("the RPC server has no TCP address");
  process.env.SST_SERVER = `http://127.0.0.1:${address.port}`;

  const { run, config } = (await import(pathToFileURL(bundlePath).href)) as ConfigBundle;
  const app = config.app({ stage });
  const globals = globalThis as Record<string, unknown>;
  globals.$app = { ...app, stage, providers: { aws: {} } };
  globals.$cli = {
    command: "deploy",
    dev: false,
    paths: { home: workDir, root, work: workDir, platform },
    state: { version: {} },
  };
  globals.$dev = false;

  const resources: RecordedResource[] = [];
  // Resource options the mocks do not see (retainOnDelete is set by SST's removal policy).
  const options = new Map<string, ResourceOptions>();
  const invokes: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource({ type, name, inputs, custom }) {
        const computed = computedState(type, name, inputs);
        const { retainOnDelete, protect } = options.get(`${type}::${name}`) ?? {};
        resources.push({
          type,
          name,
          custom: custom === true,
          inputs,
          computed,
          options: { retainOnDelete: retainOnDelete === true, protect: protect === true },
        });
        return { id: `${name}-id`, state: { ...computed, ...inputs } };
      },
      call(args) {
        invokes.push(args.token);
        return answerInvoke(args);
      },
    },
    app.name,
    stage,
    false,
  );

  let outputs: unknown;
  let failure: unknown;
  let settled = false;
  // Registered inside SST's run(), after its own stack transformations (removal policy, tags), so
  // it sees the options they set.
  const program = () => {
    pulumi.runtime.registerStackTransformation(({ type, name, opts }) => {
      options.set(`${type}::${name}`, { retainOnDelete: opts.retainOnDelete, protect: opts.protect });
      return undefined;
    });
    return config.run();
  };
  pulumi.runtime
    .runInPulumiStack(() => run(program))
    .then(
      (value) => {
        settled = true;
        outputs = value;
      },
      (error: unknown) => {
        settled = true;
        failure = error;
      },
    );
  // Components keep registering resources inside `apply` callbacks after run() returns; the event
  // loop empties only when every registration has been answered.
  process.once("beforeExit", () => {
    rpc.close();
    if (failure !== undefined) {
      console.error(failure instanceof Error ? (failure.stack ?? failure.message) : String(failure));
      process.exit(1);
    }
    // An empty event loop with the program still pending: something awaited a promise that nothing
    // will settle. The recording would be partial, so it is refused.
    if (!settled) {
      console.error("run-under-mocks: sst.config.ts's run() never finished; the recording would be incomplete");
      process.exit(1);
    }
    const recording: StackRecording = {
      stage,
      app: { name: app.name, removal: app.removal ?? "remove", protect: app.protect === true },
      resources,
      invokes: [...new Set(invokes)].sort(),
      rpcCalls: [...new Set(rpcCalls)].sort(),
      builds: builds.sort((a, b) => a.functionID.localeCompare(b.functionID)),
      outputs: outputs as Record<string, unknown>,
    };
    process.stdout.write(JSON.stringify(recording));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
