// @ts-check

/** @type {import("next").NextConfig} */
const nextConfig = {
  // The workspace packages export TypeScript source.
  transpilePackages: ["@firstbyte/dynamo-pages"],
  poweredByHeader: false,
  // The catalog is fully dynamic; Next's own compression stays on for `next start`, while on Lambda
  // the OpenNext wrapper decides (see open-next.config.ts).
  compress: true,
  reactStrictMode: true,
  experimental: {
    // The stylesheet in <style> rather than a <link>: a render-blocking request before the shell
    // can paint, and inline scripts (React's boundary reveals) wait for pending stylesheets.
    inlineCss: true,
  },
};

export default nextConfig;
