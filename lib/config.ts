// The one place the app (app/, components/, lib/) and its start scripts read the environment, so a bad
// value fails once, at start-up, with a message that names the variable — never deep inside a request.
// The Lambda wrapper reads its own STREAM_COMPRESSION (opennext-wrapper/streaming-wrapper.ts): it
// runs before the app is loaded and imports nothing from it.
import { Resource } from "sst/resource";
import { parseWholeNumber } from "./whole-number";

export interface CatalogConfig {
  /** DynamoDB endpoint (embedded dynalite, DynamoDB Local, …); undefined means AWS itself. */
  endpoint: string | undefined;
  region: string;
  table: string;
  /** Where the table name came from: a deployed stage's SST link, BIKES_TABLE, or the local default. */
  tableFrom: "sst-link" | "BIKES_TABLE" | "default";
  /** Items per Scan page on /bikes and /api/bikes unless the request says otherwise. */
  defaultPageSize: number;
  /**
   * Items in the first Scan page when the request does not set pageSize; later pages double up to
   * defaultPageSize. Never more than defaultPageSize.
   */
  firstPageSize: number;
  /**
   * How long /bikes waits for its first Scan page before sending the shell: a page that lands in
   * time is rendered in the shell itself, a later one streams into its Suspense boundary. 0 never waits.
   */
  firstPageWaitMs: number;
  /** The most work one catalog response may do; a request may ask for less (lib/params.ts), never more. */
  budget: WorkBudget;
  /** How long a shared cache (CloudFront, the local edge) may keep a whole catalog response (decision 027). */
  edgeCache: EdgeCachePolicy;
}

/** The shared-cache lifetimes of a complete catalog response, in seconds (lib/edge-cache.ts writes the header). */
export interface EdgeCachePolicy {
  /** `s-maxage`: served from the edge without asking the function. 0 stores nothing (`no-store`). */
  sMaxAgeS: number;
  /** `stale-while-revalidate`: after s-maxage, one reader starts a refresh while the others get the stored copy. */
  staleWhileRevalidateS: number;
  /** `stale-if-error`: after that, the stored copy stands in when the function answers 5xx or cannot be reached. */
  staleIfErrorS: number;
}

/** Where a streamed or buffered catalog response stops and hands out a cursor to go on from. */
export interface WorkBudget {
  /** Bytes of the response body (estimated for HTML, counted for NDJSON). */
  bytes: number;
  /** Milliseconds from the request's start. */
  ms: number;
  /** DynamoDB Scan requests. */
  scanRequests: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/** Table name: BIKES_TABLE wins; then the SST link (`Resource.Bikes.name`) on a deployed stage; else "Bikes". */
function tableName(env: Env): Pick<CatalogConfig, "table" | "tableFrom"> {
  if (env.BIKES_TABLE !== undefined) return { table: env.BIKES_TABLE, tableFrom: "BIKES_TABLE" };
  // `sst shell` and some SST runtimes pass links as SST_RESOURCE_<Name> JSON variables.
  const linked = env.SST_RESOURCE_Bikes;
  if (linked) {
    try {
      const { name } = JSON.parse(linked) as { name?: unknown };
      if (typeof name === "string") return { table: name, tableFrom: "sst-link" };
    } catch {
      // Reported below as a bad table name.
    }
    throw new ConfigError(`SST_RESOURCE_Bikes must be JSON with a "name", got ${JSON.stringify(linked.slice(0, 80))}`);
  }
  // A deployed Lambda may carry its links encrypted (SST_KEY_FILE); sst's Resource reads them.
  // `in` goes through the Resource proxy's `has` trap, which does not throw when nothing is linked.
  if ("Bikes" in Resource)
    return { table: (Resource as unknown as { Bikes: { name: string } }).Bikes.name, tableFrom: "sst-link" };
  return { table: "Bikes", tableFrom: "default" };
}

export function readConfig(env: Env = process.env): CatalogConfig {
  const endpoint = env.DYNAMODB_ENDPOINT?.trim() || undefined;
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new ConfigError(`DYNAMODB_ENDPOINT must be a URL such as http://127.0.0.1:8000, got "${endpoint}"`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new ConfigError(`DYNAMODB_ENDPOINT must use http or https, got "${url.protocol}"`);
    }
  }

  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new ConfigError(`AWS_REGION must look like us-east-1, got "${region}"`);
  }

  const { table, tableFrom } = tableName(env);
  // DynamoDB table names: 3–255 characters of [a-zA-Z0-9_.-].
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(table)) {
    throw new ConfigError(`BIKES_TABLE must be 3–255 characters of a-z, A-Z, 0-9, "_", "-", ".", got "${table}"`);
  }

  // 200 items of ~450 bytes is ~90 KB of DynamoDB reads a page: well under Scan's 1 MB page limit,
  // and small enough that the first rows leave the server early.
  const defaultPageSize = wholeNumber(env, "BIKES_PAGE_SIZE", "200", 1, 1000);
  // 25 bikes are ~25 KB of HTML: the first Scan page is rendered and on the wire a few ms after the
  // shell, early enough for the browser to paint both in its first frame. React 19 reveals a
  // boundary that completes after the first frame no sooner than 300 ms after it (react-dom's
  // inline $RC script, `$RT + 300`), so a first page that misses the first frame shows 300 ms late.
  // Measured in decision 006.
  const firstPageSize = wholeNumber(env, "BIKES_FIRST_PAGE_SIZE", "25", 1, 1000);
  // The default first page shrinks to a smaller BIKES_PAGE_SIZE; a first page set larger is a mistake.
  if (env.BIKES_FIRST_PAGE_SIZE?.trim() && firstPageSize > defaultPageSize) {
    throw new ConfigError(
      `BIKES_FIRST_PAGE_SIZE must not exceed BIKES_PAGE_SIZE (${defaultPageSize}), got "${firstPageSize}"`,
    );
  }

  // React 19 holds a boundary revealed after the shell's first frame until 300 ms after it; a first
  // Scan page rendered in the shell is visible with it. Waiting costs TTFB up to this bound, and a
  // DynamoDB slower than it still gets the shell first. Measured in decision 021.
  const firstPageWaitMs = wholeNumber(env, "BIKES_FIRST_PAGE_WAIT_MS", "50", 0, 1000);

  // Lambda streams a response's first 6 MiB at full speed and throttles the rest to 2 MiB/s
  // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html#config-rs-bandwidth):
  // a page that stops just under it never meets the slow part. 6,000,000 bytes is 5.72 MiB.
  const bytes = wholeNumber(env, "BIKES_BUDGET_BYTES", "6000000", 1000, 200 * 1024 * 1024);
  // The function times out at 60 s (sst.config.ts) and CloudFront's origin read timeout is 60 s at
  // most: 20 s leaves room for a slow client and the closing line.
  const ms = wholeNumber(env, "BIKES_BUDGET_MS", "20000", 100, 900_000);
  // 100 Scan requests read 20,000 bikes at the default page size, but only 100 with pageSize=1:
  // one HTTP request can never become thousands of DynamoDB requests.
  const scanRequests = wholeNumber(env, "BIKES_BUDGET_SCAN_REQUESTS", "100", 1, 100_000);

  // A catalog is fresh within seconds to a minute: a bike added now shows on every edge within
  // s-maxage + stale-while-revalidate (60 s), while a popular URL costs the function about one
  // invocation per 10 s per edge location. stale-if-error keeps the site up through a DynamoDB or
  // Lambda outage of minutes. Decision 027.
  const edgeCache: EdgeCachePolicy = {
    sMaxAgeS: wholeNumber(env, "BIKES_CACHE_S_MAXAGE", "10", 0, 86_400),
    staleWhileRevalidateS: wholeNumber(env, "BIKES_CACHE_STALE_WHILE_REVALIDATE", "50", 0, 86_400),
    staleIfErrorS: wholeNumber(env, "BIKES_CACHE_STALE_IF_ERROR", "300", 0, 86_400),
  };

  return {
    endpoint,
    region,
    table,
    tableFrom,
    defaultPageSize,
    firstPageSize: Math.min(firstPageSize, defaultPageSize),
    firstPageWaitMs,
    budget: { bytes, ms, scanRequests },
    edgeCache,
  };
}

let cached: CatalogConfig | undefined;

/** The process's configuration, read and validated once. */
export function config(): CatalogConfig {
  cached ??= readConfig();
  return cached;
}

export interface StartSettings {
  /** Port for `npm start`; PORT overrides 3000. */
  port: number;
  /** Bikes loaded into an empty table at start-up; SEED_COUNT overrides 2000. */
  seedCount: number;
}

export function readStartSettings(env: Env = process.env): StartSettings {
  const port = wholeNumber(env, "PORT", "3000", 0, 65535);
  const seedCount = wholeNumber(env, "SEED_COUNT", "2000", 0, 10_000_000);
  return { port, seedCount };
}

function wholeNumber(env: Env, name: string, fallback: string, min: number, max: number): number {
  const result = parseWholeNumber(env[name]?.trim() || fallback, { min, max });
  if (!result.ok) throw new ConfigError(`${name} ${result.problem}`);
  return result.value;
}
