// The local edge: Debian's nginx as an HTTP cache in front of the Function URL emulator, doing for
// `npm start` and the e2e suite what CloudFront does in production (docs/decisions/029-local-edge-nginx.md):
// it stores a response only when it arrived whole, follows the origin's Cache-Control (s-maxage,
// stale-while-revalidate, stale-if-error, no-store, private), keys on path and query string, sends
// one request to the origin for concurrent misses of one key, and says `x-cache: Hit from edge` or
// `Miss from edge`. nginx comes from Debian's package, unpacked into .cache/edge (no root, no
// service started); a machine with nginx on its PATH uses that one.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";

export const EDGE_NAME = "edge";
/** Debian packages whose shared libraries nginx links; fetched only when the machine lacks them. */
const LIBRARY_PACKAGES: Record<string, string> = {
  "libpcre2-8.so.0": "libpcre2-8-0",
  "libssl.so.3": "libssl3",
  "libcrypto.so.3": "libssl3",
  "libz.so.1": "zlib1g",
  "libcrypt.so.1": "libcrypt1",
};

export class EdgeCacheMissing extends Error {
  override name = "EdgeCacheMissing";
}

export interface Nginx {
  binary: string;
  /** Extra library directories (unpacked Debian libraries), for LD_LIBRARY_PATH. */
  libraryDirs: string[];
  source: "NGINX_PATH" | "system" | "unpacked";
}

/** Where an unpacked nginx lives under `cacheDir`. */
function unpacked(cacheDir: string): Nginx {
  const root = path.join(cacheDir, "root");
  return {
    binary: path.join(root, "usr", "sbin", "nginx"),
    libraryDirs: [path.join(root, "usr", "lib", "x86_64-linux-gnu"), path.join(root, "lib", "x86_64-linux-gnu")],
    source: "unpacked",
  };
}

/** NGINX_PATH, then nginx on the system, then one unpacked earlier into `cacheDir`. */
export function findNginx(cacheDir: string, env: Record<string, string | undefined> = process.env): Nginx | undefined {
  if (env.NGINX_PATH) {
    if (!existsSync(env.NGINX_PATH))
      throw new EdgeCacheMissing(`NGINX_PATH is ${env.NGINX_PATH}, which does not exist`);
    return { binary: env.NGINX_PATH, libraryDirs: [], source: "NGINX_PATH" };
  }
  for (const candidate of ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]) {
    if (existsSync(candidate)) return { binary: candidate, libraryDirs: [], source: "system" };
  }
  const local = unpacked(cacheDir);
  return existsSync(local.binary) ? local : undefined;
}

/** The shared libraries `ldd` cannot find for `binary` with `libraryDirs`. */
function missingLibraries(binary: string, libraryDirs: string[]): string[] {
  const result = spawnSync("ldd", [binary], {
    encoding: "utf8",
    env: { ...process.env, LD_LIBRARY_PATH: libraryDirs.join(":") },
  });
  return [...(result.stdout ?? "").matchAll(/^\s*(\S+) => not found/gm)].map((match) => match[1] ?? "");
}

function run(command: string, args: string[], cwd: string, log: (line: string) => void): void {
  log(`${EDGE_NAME}: ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    throw new EdgeCacheMissing(
      `\`${[command, ...args].join(" ")}\` failed: ${(result.stderr || result.stdout || String(result.error)).trim().slice(-400)}`,
    );
  }
}

const HOW_TO_INSTALL =
  "install nginx (Debian/Ubuntu: `sudo apt-get install -y nginx`; macOS: `brew install nginx`) or set NGINX_PATH";

/**
 * An nginx to run: found, or Debian's package fetched with `apt-get download` and unpacked with
 * `dpkg-deb -x` into `cacheDir` (with any library the machine lacks). `apt-get update` runs first
 * only as root on a machine that has no package lists. Throws EdgeCacheMissing with what to do.
 */
export async function ensureNginx(cacheDir: string, log: (line: string) => void): Promise<Nginx> {
  const found = findNginx(cacheDir);
  if (found) return found;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get && command -v dpkg-deb"], { stdio: "ignore" }).status === 0;
  if (!hasApt) throw new EdgeCacheMissing(`no nginx for the local edge cache: ${HOW_TO_INSTALL}`);
  const debs = path.join(cacheDir, "debs");
  await rm(cacheDir, { recursive: true, force: true });
  await mkdir(debs, { recursive: true });
  log(`${EDGE_NAME}: no nginx found, unpacking Debian's package into ${cacheDir}`);
  const download = (packages: string[]) => {
    try {
      run("apt-get", ["download", ...packages], debs, log);
    } catch (error) {
      // A fresh machine has no package lists until `apt-get update`, which needs root.
      if (process.getuid?.() !== 0) throw new EdgeCacheMissing(`${(error as Error).message}; ${HOW_TO_INSTALL}`);
      run("apt-get", ["update"], debs, log);
      run("apt-get", ["download", ...packages], debs, log);
    }
  };
  const local = unpacked(cacheDir);
  const unpack = () => {
    for (const deb of readdirSync(debs).filter((name) => name.endsWith(".deb"))) {
      run("dpkg-deb", ["-x", path.join(debs, deb), path.join(cacheDir, "root")], debs, log);
    }
  };
  download(["nginx"]);
  unpack();
  const missing = missingLibraries(local.binary, local.libraryDirs);
  const packages = [...new Set(missing.map((library) => LIBRARY_PACKAGES[library]))];
  if (packages.includes(undefined)) throw new EdgeCacheMissing(`nginx needs ${missing.join(", ")}: ${HOW_TO_INSTALL}`);
  if (packages.length > 0) {
    download(packages as string[]);
    unpack();
  }
  const still = missingLibraries(local.binary, local.libraryDirs);
  if (still.length > 0) throw new EdgeCacheMissing(`nginx still lacks ${still.join(", ")}: ${HOW_TO_INSTALL}`);
  return local;
}

export interface EdgeConfigOptions {
  /** Port the edge listens on (127.0.0.1). */
  port: number;
  /** The origin (the Function URL emulator), http://127.0.0.1:PORT. */
  origin: string;
  /** Working directory: cache, temp files, pid, error log. */
  dir: string;
  /** Upper bound of the stored bytes. */
  maxSize?: string;
}

/**
 * nginx.conf for the edge. Each line is there to match what CloudFront does for this app
 * (decision 029); no `proxy_cache_valid`, so nothing is stored without the origin's Cache-Control.
 */
export function edgeConfig({ port, origin, dir, maxSize = "2g" }: EdgeConfigOptions): string {
  const originUrl = new URL(origin);
  return `# Written by harness/edge-cache.ts on each start; edits are lost.
daemon off;
worker_processes 2;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  # A hit is a file of the cache sent by the kernel, without copying it through nginx.
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  # The cache: keys and metadata in 16 MB of shared memory, bodies on disk (memory does not grow
  # with response size).
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=edge:16m max_size=${maxSize} inactive=1h use_temp_path=off;
  upstream origin {
    server ${originUrl.host};
    keepalive 64;
  }
  # CloudFront's x-cache words: a response served from the store is a hit, anything else a miss.
  map $upstream_cache_status $edge_x_cache {
    HIT "Hit from edge";
    STALE "Hit from edge";
    UPDATING "Hit from edge";
    REVALIDATED "Hit from edge";
    default "Miss from edge";
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      # sst.config.ts drops accept-encoding at CloudFront's viewer request: the function answers identity.
      proxy_set_header Accept-Encoding "";
      # CloudFront's origin read timeout for this app (sst.config.ts): 60 s to the first byte and between chunks.
      proxy_read_timeout 60s;
      proxy_cache edge;
      # Path and query string, as CloudFront's key for the server behaviour (plus Vary's headers).
      proxy_cache_key $request_uri;
      # Concurrent misses of one key: one origin request, the others wait for its stored copy.
      proxy_cache_lock on;
      proxy_cache_lock_age 60s;
      proxy_cache_lock_timeout 60s;
      # stale-while-revalidate is refreshed by one background request, as CloudFront does.
      proxy_cache_background_update on;
      # Bodies are relayed as they arrive (nginx writes each read to the client) and stored on the side.
      proxy_buffering on;
      add_header x-cache $edge_x_cache always;
      add_header x-edge-cache-status $upstream_cache_status always;
    }
  }
}
`;
}

export interface EdgeCache {
  url: string;
  close(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts nginx with edgeConfig; resolves once it accepts connections. The cache starts empty. */
export async function startEdgeCache(
  nginx: Nginx,
  options: EdgeConfigOptions & { log?: (line: string) => void },
): Promise<EdgeCache> {
  const { dir } = options;
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "tmp"), { recursive: true });
  const configFile = path.join(dir, "nginx.conf");
  await writeFile(configFile, edgeConfig(options));
  const child: ChildProcess = spawn(nginx.binary, ["-p", dir, "-c", configFile, "-e", path.join(dir, "error.log")], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LD_LIBRARY_PATH: nginx.libraryDirs.join(":") },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) {
      throw new Error(`the edge cache (nginx) exited with ${child.exitCode}: ${stderr.trim().slice(-400)}`);
    }
    if (await portOpen(options.port)) break;
    if (attempt > 200) {
      child.kill("SIGKILL");
      throw new Error(`the edge cache (nginx) did not listen on ${options.port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: async () => {
      if (child.exitCode !== null) return rm(dir, { recursive: true, force: true });
      // SIGTERM: nginx's fast shutdown, which also ends its cache manager and loader.
      child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
