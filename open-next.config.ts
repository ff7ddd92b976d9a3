// The OpenNext build of the app for one streaming Lambda; `npm run build:lambda` runs it, locally
// and as the deploy's build command. Why each setting: docs/decisions/034-stack-configuration.md.
import type { OpenNextConfig } from "@opennextjs/aws/types/open-next.js";

const config = {
  default: {
    override: {
      // Chunks not retained, identity unless asked (docs/decisions/004-own-streaming-wrapper.md).
      wrapper: () => import("./opennext-wrapper/streaming-wrapper.ts").then((module) => module.default),
      // Function URLs send payload format 2.0, the API Gateway v2 shape (docs/lambda-streaming.md §2).
      converter: "aws-apigw-v2",
      // Every page is dynamic: no ISR, and no calls to S3, DynamoDB or SQS from the handler.
      incrementalCache: "dummy",
      tagCache: "dummy",
      queue: "dummy",
    },
  },
  // No revalidation or tag functions, so no queue, table or seeder is deployed for them.
  dangerous: {
    disableIncrementalCache: true,
    disableTagCache: true,
  },
  imageOptimization: {
    // Deployed anyway, on arm64: npm 11 ignores --arch, so --cpu and --libc pick the binaries.
    install: {
      packages: ["sharp@0.35.5"],
      additionalArgs: "--cpu=arm64 --libc=glibc",
    },
  },
  // The app's own build (next build); OpenNext sets standalone output itself.
  buildCommand: "npm run build",
} satisfies OpenNextConfig;

export default config;
