// OpenNext (@opennextjs/aws 4.1.12) build of the app for one Lambda behind a Function URL with
// InvokeMode RESPONSE_STREAM. `npm run build:lambda` runs it, locally and as the deploy's build
// command (sst.config.ts); sst.aws.Nextjs reads the output.
import type { OpenNextConfig } from "@opennextjs/aws/types/open-next.js";

const config = {
  default: {
    override: {
      // Our wrapper instead of the built-in "aws-lambda-streaming": same wire format, but
      // OpenNextNodeResponse no longer keeps every chunk of the page in memory, and compression is
      // identity unless asked (brotli quality 4, not 11). See opennext-wrapper/streaming-wrapper.ts.
      wrapper: () => import("./opennext-wrapper/streaming-wrapper.ts").then((module) => module.default),
      // Function URLs send payload format 2.0, the API Gateway v2 shape (docs/lambda-streaming.md §2).
      converter: "aws-apigw-v2",
      // Every page is dynamic (DynamoDB on each request): no ISR, no revalidateTag, no
      // revalidation queue. "dummy" keeps the handler from calling S3, DynamoDB or SQS, so it
      // needs no AWS credentials; with the defaults every request without credentials logs
      // errors and waits ~150 ms (docs/local-setup.md).
      incrementalCache: "dummy",
      tagCache: "dummy",
      queue: "dummy",
    },
  },
  // The overrides above only stub the caches inside the handler. These two make OpenNext stop
  // emitting the revalidation function and the tag table's initialization function, so
  // sst.aws.Nextjs deploys no revalidation table, FIFO queue, seeder (invoked on every deploy) or
  // subscriber, and grants the server no writes on them (docs/infra.md lists what is deployed).
  // No route uses ISR, revalidatePath or revalidateTag; e2e/api.spec.ts checks that no response is
  // cached for revalidation.
  dangerous: {
    disableIncrementalCache: true,
    disableTagCache: true,
  },
  imageOptimization: {
    // The app uses no next/image, but sst.aws.Nextjs deploys this function anyway (arm64).
    // OpenNext's default install passes --arch=arm64, which npm 11 ignores and installs x64
    // sharp (docs/local-setup.md); --cpu and --libc pick the arm64 Linux binaries.
    install: {
      packages: ["sharp@0.35.5"],
      additionalArgs: "--cpu=arm64 --libc=glibc",
    },
  },
  // The app's own build (next build); OpenNext sets standalone output itself.
  buildCommand: "npm run build",
} satisfies OpenNextConfig;

export default config;
