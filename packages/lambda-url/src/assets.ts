import { createReadStream, realpathSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".wasm": "application/wasm",
  ".webmanifest": "application/manifest+json",
  ".pdf": "application/pdf",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
};

/** Build output under /_next/static/ has content hashes in its names and never changes. */
const IMMUTABLE_PREFIX = "/_next/static/";
const IMMUTABLE_CACHE = "public,max-age=31536000,immutable";
/** Other public files keep their names across deploys: revalidate every time. */
const REVALIDATE_CACHE = "public,max-age=0,must-revalidate";

export type AssetLookup =
  | { kind: "file"; file: string; size: number; mtime: Date; urlPath: string }
  | { kind: "rejected"; reason: string }
  | { kind: "miss" };

/**
 * Static files answered before the function, as a CloudFront behaviour in front of an S3 bucket
 * would. Paths never leave the directory: `..` segments and NUL bytes are rejected, and a symlink
 * whose target lies outside is not served.
 */
export class AssetDirectory {
  private readonly realRoot: string;

  /** `extraHeaders`: added to every answer, as a CloudFront response headers policy would. */
  constructor(
    readonly root: string,
    private readonly extraHeaders: Readonly<Record<string, string>> = {},
  ) {
    this.realRoot = realpathSync(root);
  }

  async lookup(rawTarget: string): Promise<AssetLookup> {
    const rawPath = rawTarget.split("?")[0] ?? "/";
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      return { kind: "miss" }; // malformed escapes are the function's to answer
    }
    if (decoded.includes("\0")) return { kind: "rejected", reason: "NUL byte in path" };
    const segments = decoded.split(/[/\\]+/);
    if (segments.includes("..")) return { kind: "rejected", reason: "path escapes the assets directory" };
    const relative = segments.filter((segment) => segment !== "" && segment !== ".").join("/");
    if (relative === "") return { kind: "miss" };
    const candidate = path.join(this.realRoot, relative);
    if (!candidate.startsWith(this.realRoot + path.sep))
      return { kind: "rejected", reason: "path escapes the assets directory" };
    try {
      const resolved = await realpath(candidate);
      if (!resolved.startsWith(this.realRoot + path.sep)) return { kind: "miss" };
      const info = await stat(resolved);
      // Directories are not listed; their paths belong to the function.
      if (!info.isFile()) return { kind: "miss" };
      return { kind: "file", file: resolved, size: info.size, mtime: info.mtime, urlPath: `/${relative}` };
    } catch {
      return { kind: "miss" };
    }
  }

  /** Answers GET/HEAD for a file in the directory; false when the function should answer instead. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<{ status: number; bytes: number } | null> {
    if (req.method !== "GET" && req.method !== "HEAD") return null;
    const found = await this.lookup(req.url ?? "/");
    if (found.kind === "miss") return null;
    if (found.kind === "rejected") {
      const body = JSON.stringify({ Message: "Bad Request" });
      res.writeHead(400, {
        ...this.extraHeaders,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
      return { status: 400, bytes: body.length };
    }
    const etag = `"${found.size.toString(16)}-${found.mtime.getTime().toString(16)}"`;
    const headers = {
      ...this.extraHeaders,
      "content-type": CONTENT_TYPES[path.extname(found.file).toLowerCase()] ?? "application/octet-stream",
      "cache-control": found.urlPath.startsWith(IMMUTABLE_PREFIX) ? IMMUTABLE_CACHE : REVALIDATE_CACHE,
      "last-modified": found.mtime.toUTCString(),
      etag,
    };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers);
      res.end();
      return { status: 304, bytes: 0 };
    }
    res.writeHead(200, { ...headers, "content-length": found.size });
    if (req.method === "HEAD") {
      res.end();
      return { status: 200, bytes: 0 };
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(found.file);
      stream.on("error", () => {
        res.destroy();
        resolve();
      });
      res.on("close", resolve);
      stream.pipe(res);
    });
    return { status: 200, bytes: found.size };
  }
}
