// The shape of a stack recording: what sst.config.ts registers for one stage under Pulumi mocks.

export interface RecordedResource {
  /** Pulumi type token, e.g. `aws:lambda/function:Function`, or a component's `sst:aws:Nextjs`. */
  type: string;
  /** Logical name, e.g. `SiteServerUsEast1`. */
  name: string;
  /** True for a cloud resource, false for a component (a grouping with nothing behind it). */
  custom: boolean;
  /** The inputs as the provider would receive them (outputs of other resources resolved). */
  inputs: Record<string, unknown>;
  /** What the mocks answered for the attributes AWS computes (arn, functionUrl, domainName, …). */
  computed: Record<string, unknown>;
  /** Resource options set by the program or SST's transformations. */
  options: { retainOnDelete: boolean; protect: boolean };
}

/** A function's Runtime.Build request: what the SST CLI would package for it. */
export interface FunctionBuild {
  functionID: string;
  bundle: string;
  handler: string;
  /**
   * The links the CLI encrypts into the bundle (resource.enc), which `Resource.<Name>` reads in the
   * deployed function.
   */
  links: Record<string, Record<string, unknown>>;
}

export interface StackRecording {
  stage: string;
  app: { name: string; removal: string; protect: boolean };
  resources: RecordedResource[];
  /** Provider functions the program called (`aws:index/getRegion:getRegion`, …). */
  invokes: string[];
  /** SST CLI methods the components called (`Runtime.Build`, …). */
  rpcCalls: string[];
  builds: FunctionBuild[];
  outputs: Record<string, unknown>;
}
