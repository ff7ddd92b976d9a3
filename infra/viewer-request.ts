// Runs the stack's generated CloudFront viewer-request function (the code SST deploys, taken from
// the recording) against a sample request, with the two things CloudFront Functions' `cloudfront`
// module provides: the KeyValueStore SST fills at deploy (its entries, also from the recording)
// and `updateRequestOrigin`, which here records the origin the function chose.
import { createHash } from "node:crypto";
import vm from "node:vm";
import type { RecordedResource, StackRecording } from "./recording";

type Headers = Record<string, { value: string }>;

export interface ViewerRequestResult {
  /** The request as it leaves the function (uri and headers after it ran). */
  request: { uri: string; headers: Headers };
  /** The origin the function selected; undefined when it left the distribution's default. */
  origin?: {
    domainName: string;
    timeouts?: { readTimeout?: number };
    originAccessControlConfig?: { enabled: boolean; originType?: string; signingBehavior?: string };
  };
  /** A response the function answered itself (CloudFront would not call any origin). */
  response?: { statusCode: number };
}

function only<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what} in the recording, found ${items.length}`);
  return items[0]!;
}

function byType(recording: StackRecording, type: string): RecordedResource[] {
  return recording.resources.filter((resource) => resource.type === type);
}

/** The viewer-request function's code and the KeyValueStore entries it reads, as SST would deploy them. */
export function viewerRequestOf(recording: StackRecording): { code: string; kv: Map<string, string> } {
  const distribution = only(byType(recording, "aws:cloudfront/distribution:Distribution"), "distribution");
  const associations = (distribution.inputs.defaultCacheBehavior as { functionAssociations?: unknown[] })
    ?.functionAssociations as { eventType: string; functionArn: string }[] | undefined;
  const association = only(
    (associations ?? []).filter((item) => item.eventType === "viewer-request"),
    "viewer-request association",
  );
  const fn = only(
    byType(recording, "aws:cloudfront/function:Function").filter(
      (resource) => resource.computed.arn === association.functionArn,
    ),
    `CloudFront function with the ARN ${association.functionArn}`,
  );
  const keys = only(
    recording.resources.filter((resource) => resource.name.endsWith(".sst.aws.KvKeys")),
    "KeyValueStore entries resource",
  );
  const namespace = String(keys.inputs.namespace);
  const entries = keys.inputs.entries as Record<string, string>;
  const kv = new Map(Object.entries(entries).map(([key, value]) => [`${namespace}:${key}`, value]));
  return { code: String(fn.inputs.code), kv };
}

/** Executes the viewer-request function for `uri` with the given viewer headers. */
export async function runViewerRequest(
  recording: StackRecording,
  uri: string,
  viewerHeaders: Record<string, string> = {},
): Promise<ViewerRequestResult> {
  const { code, kv } = viewerRequestOf(recording);
  let origin: ViewerRequestResult["origin"];
  const cf = {
    kvs: () => ({
      get: async (key: string) => {
        const value = kv.get(key);
        // CloudFront's kvs().get rejects for a missing key; SST's router relies on that.
        if (value === undefined) throw new Error(`KeyValueStore: key not found: ${key}`);
        return value;
      },
    }),
    updateRequestOrigin: (params: ViewerRequestResult["origin"]) => {
      origin = params;
    },
  };
  const require = (name: string) => {
    if (name === "crypto") return { createHash };
    throw new Error(`CloudFront Functions have no module ${name}`);
  };
  const source = code.replace(/^\s*import cf from "cloudfront";\s*$/m, "");
  if (source === code) throw new Error("the viewer-request function no longer imports the cloudfront module");
  const handler = vm.runInNewContext(`${source}\n;handler`, { cf, require, console }) as (
    event: unknown,
  ) => Promise<{ uri?: string; headers?: Headers; statusCode?: number }>;
  const headers: Headers = { host: { value: "d111111abcdef8.cloudfront.net" } };
  for (const [name, value] of Object.entries(viewerHeaders)) headers[name.toLowerCase()] = { value };
  const event = {
    version: "1.0",
    context: { eventType: "viewer-request" },
    viewer: { ip: "198.51.100.7" },
    request: { method: "GET", uri, querystring: {}, headers, cookies: {} },
  };
  const result = await handler(event);
  if (result.statusCode !== undefined) return { request: event.request, response: { statusCode: result.statusCode } };
  return { request: { uri: event.request.uri, headers: event.request.headers }, origin };
}
