// OpenNext's own streaming wrapper for a Function URL (payload format 2.0), with no AWS caches:
// the page is dynamic and the check has no AWS account.
const config = {
  default: {
    override: {
      wrapper: "aws-lambda-streaming",
      converter: "aws-apigw-v2",
      incrementalCache: "dummy",
      tagCache: "dummy",
      queue: "dummy",
    },
  },
  dangerous: { disableIncrementalCache: true, disableTagCache: true },
  // No next/image here: the image function needs no sharp, so OpenNext installs nothing for it.
  imageOptimization: { install: { packages: [] } },
  buildCommand: "npx --no next build",
};

export default config;
