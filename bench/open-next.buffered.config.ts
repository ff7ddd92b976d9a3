// The benchmark's "what SST gives without the streaming wrapper" variant: OpenNext's default
// buffered Lambda wrapper (the whole response collected, then returned; 6 MB limit). Built by
// `npm run bench` into bench/tmp/open-next-buffered; never deployed.
import type { OpenNextConfig } from "@opennextjs/aws/types/open-next.js";

const config = {
  default: {
    override: {
      wrapper: "aws-lambda",
      converter: "aws-apigw-v2",
      incrementalCache: "dummy",
      tagCache: "dummy",
      queue: "dummy",
    },
  },
  buildCommand: "npm run build",
} satisfies OpenNextConfig;

export default config;
