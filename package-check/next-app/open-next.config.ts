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
  // OpenNext installs sharp for the image function whether or not the app uses next/image; these
  // are the arm64 Linux binaries that Lambda runs (npm 11 ignores OpenNext's own --arch).
  imageOptimization: { install: { packages: ["sharp@0.35.5"], additionalArgs: "--cpu=arm64 --libc=glibc" } },
  buildCommand: "npx --yes=false next build",
};

export default config;
