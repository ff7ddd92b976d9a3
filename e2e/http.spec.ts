// HTTP as a careful server speaks it: every input the app does not serve gets a 4xx it can explain
// (never a 5xx, never a 2xx with a page), and every response carries the security headers. Runs
// unchanged against a deployed stage (BASE_URL): there CloudFront answers some of these itself, so
// where the edge may decide, the assertion is "4xx, never 2xx or 5xx".
import http from "node:http";
import https from "node:https";
import { staticScriptSrc } from "../harness/server-html";
import { bypassEdge } from "../lib/edge-bypass";
import { expect, targetUrl, test } from "./fixtures";

/** The local stack (Function URL emulator): the function itself answers every request. */
const local = /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(`${targetUrl()}/`);

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request with exactly the method and headers given: fetch and Playwright refuse TRACE and
 * rewrite Host, node:http with setHost false sends them as they are.
 */
function rawRequest(path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  const url = new URL(path, targetUrl());
  const client = url.protocol === "https:" ? https : http;
  return new Promise<RawResponse>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: options.method ?? "GET",
        setHost: false,
        servername: url.hostname,
        headers: { host: url.host, ...options.headers },
        agent: false,
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${options.method ?? "GET"} ${url} timed out`)));
    request.on("error", reject);
    request.end();
  });
}

/** `framing: "same-origin"` for the catalogs /compare shows in iframes (decision 017); no framing elsewhere. */
function expectSecurityHeaders(
  headers: Record<string, string | string[] | undefined>,
  what: string,
  framing: "none" | "same-origin" = "none",
) {
  expect(headers["x-content-type-options"], `${what}: x-content-type-options`).toBe("nosniff");
  expect(headers["referrer-policy"], `${what}: referrer-policy`).toBe("no-referrer");
  const csp = String(headers["content-security-policy"] ?? "");
  expect(csp, `${what}: content-security-policy`).toMatch(
    framing === "none" ? /frame-ancestors 'none'/ : /frame-ancestors 'self'/,
  );
  expect(headers["x-frame-options"], `${what}: x-frame-options`).toBe(framing === "none" ? "DENY" : "SAMEORIGIN");
}

/** A status the edge or the function may give a request the app does not serve. */
function expectClientError(status: number, what: string) {
  expect(status, `${what}: never a success`).toBeGreaterThanOrEqual(400);
  expect(status, `${what}: never a server error`).toBeLessThan(500);
}

let bikeId = "";
test.beforeAll(async ({ request }) => {
  const response = await request.get("/api/bikes?limit=1&pageSize=1");
  const line = JSON.parse((await response.text()).split("\n")[0] ?? "{}") as { items?: Array<{ id: string }> };
  bikeId = line.items?.[0]?.id ?? "";
  expect(bikeId, "the table has a bike").toBeTruthy();
});

const PAGES = ["/", "/bikes", "/bikes/buffered", "/bikes/client", "/bikes/:id", "/compare"];
/** Routes that answer JSON, their 405 too. */
const API_ROUTES = ["/api/bikes", "/api/bikes/export.csv", "/api/bikes/export.csv.gz"];
const pagePath = (page: string) => page.replace(":id", bikeId);

test.describe("methods", () => {
  for (const page of PAGES) {
    test(`${page} answers GET and HEAD, and 405 with Allow to every other method before rendering`, async () => {
      const path = pagePath(page);
      const get = await rawRequest(path);
      expect(get.status).toBe(200);
      const head = await rawRequest(path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.body).toBe("");
      for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]) {
        const response = await rawRequest(path, {
          method,
          headers: method === "TRACE" ? {} : { "content-type": "application/x-www-form-urlencoded" },
        });
        const what = `${method} ${page}`;
        // Not the page: no rows, no React payload (it was never rendered, so nothing was read).
        expect(response.body, what).not.toContain("data-bike-id");
        expect(response.body, what).not.toContain("self.__next_f");
        if (!local) {
          expectClientError(response.status, what);
          continue;
        }
        expect(response.status, what).toBe(405);
        expect(response.headers.allow, what).toBe("GET, HEAD");
        expectSecurityHeaders(response.headers, what);
      }
    });
  }

  test("no method but GET and HEAD makes a DynamoDB request (counted by the fault proxy)", async ({ faults }) => {
    const requests = async () =>
      Object.values((await faults.state()).counts).reduce((sum, count) => sum + count.received, 0);
    // The count does count: the bike page reads its bike, a catalog page scans.
    await rawRequest(pagePath("/bikes/:id"));
    await rawRequest("/bikes?limit=1");
    expect(await requests(), "GET reads DynamoDB").toBeGreaterThan(0);
    await faults.resetCounts();
    for (const page of [...PAGES, ...API_ROUTES])
      for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
        expect((await rawRequest(pagePath(page), { method })).status, `${method} ${page}`).toBe(405);
    expect(await requests(), "DynamoDB requests for the 405s").toBe(0);
  });

  test("/api/bikes and the exports keep their 405, as JSON with Allow", async () => {
    for (const route of API_ROUTES) {
      for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]) {
        const what = `${method} ${route}`;
        const response = await rawRequest(route, { method });
        if (!local) {
          expectClientError(response.status, what);
          continue;
        }
        expect(response.status, what).toBe(405);
        expect(response.headers.allow, what).toBe("GET, HEAD");
        expectSecurityHeaders(response.headers, what);
        if (method !== "TRACE") expect(JSON.parse(response.body), what).toMatchObject({ error: "method_not_allowed" });
      }
    }
  });
});

test.describe("malformed requests", () => {
  for (const path of ["/bikes/%", "/bikes/%E0%A4%A", "/bikes/%ff%fe", "/%", "/api/bikes/%ff"]) {
    test(`${path} is a 400 (or 404), never a 500`, async () => {
      const response = await rawRequest(path);
      expect([400, 404], `${path}: ${response.status}`).toContain(response.status);
      expectSecurityHeaders(response.headers, path);
      expect(response.body).not.toMatch(/\bat .+\.js:\d+/); // no stack trace
    });
  }

  test("a malformed or foreign Host header is a 4xx, never a crash of the invocation", async () => {
    for (const host of ["[::1", "a b", "[::1]:x", "evil.example"]) {
      const response = await rawRequest("/bikes", { headers: { host } });
      expectClientError(response.status, `Host: ${host}`);
      // The local Function URL answers this machine's names only (decision 026), before any invocation.
      if (local) {
        expect(response.status, `Host: ${host}`).toBe(403);
        expect(response.body, `Host: ${host}`).toMatch(/is not allowed: this local server answers localhost/);
      }
    }
    // And the function still answers normally afterwards.
    expect((await rawRequest("/bikes?limit=1")).status).toBe(200);
  });
});

test.describe("not found", () => {
  test("an unknown path under /api/ is a JSON 404", async ({ request }) => {
    for (const path of ["/api/nope", "/api/bikes/extra", "/api"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(404);
      expect(response.headers()["content-type"], path).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ error: "not_found" });
      expectSecurityHeaders(response.headers(), path);
    }
  });

  test("an unknown page is an HTML 404 with the security headers", async ({ request }) => {
    const response = await request.get("/no-such-page");
    expect(response.status()).toBe(404);
    expect(response.headers()["content-type"]).toMatch(/^text\/html/);
    expectSecurityHeaders(response.headers(), "/no-such-page");
  });
});

test.describe("security headers", () => {
  test("every kind of response carries them", async ({ request }) => {
    for (const path of ["/", "/bikes?limit=5", "/bikes/buffered?limit=5", "/bikes/client", `/bikes/${bikeId}`]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      expectSecurityHeaders(response.headers(), path, /^\/bikes(\/buffered)?\?/.test(path) ? "same-origin" : "none");
    }
    for (const path of [
      "/api/bikes?limit=5",
      "/api/bikes?limit=5&mode=buffered",
      "/bikes?pageSize=0",
      "/api/bikes?pageSize=0",
    ]) {
      const response = await request.get(path);
      expectSecurityHeaders(response.headers(), path);
      // JSON runs nothing: its policy allows nothing to load.
      if (path.startsWith("/api/")) expect(response.headers()["content-security-policy"]).toMatch(/default-src 'none'/);
    }
  });

  test("static assets carry the headers that apply to them (nosniff, referrer, frame)", async ({ request }) => {
    const html = await (await request.get("/bikes?limit=1")).text();
    const script = staticScriptSrc(html);
    expect(script, "the page links a /_next/static script").toBeTruthy();
    for (const path of [script!, "/icon.svg"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      expect(response.headers()["x-content-type-options"], path).toBe("nosniff");
      expect(response.headers()["referrer-policy"], path).toBe("no-referrer");
      expect(response.headers()["x-frame-options"], path).toBe("DENY");
    }
  });

  test("a page's CSP allows scripts by a nonce that is new on every rendered response and on every script", async ({
    request,
  }) => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      // A stored page repeats its nonce (decision 027): a fresh key makes the function render each one.
      const response = await request.get(bypassEdge("/bikes?limit=60&pageSize=20"));
      const csp = response.headers()["content-security-policy"] ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, "script-src has a nonce").toBeTruthy();
      expect(csp).toContain("'strict-dynamic'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      // Next's scripts, its Flight payload and React's streamed boundary reveals ($RC) alike.
      expect(html).toContain("$RC");
      expect(scripts.length).toBeGreaterThan(3);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
      nonces.push(nonce!);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});

test.describe("CSP in the browser", () => {
  for (const path of ["/bikes", "/bikes/buffered", "/bikes/client", "/"]) {
    test(`${path} streams and hydrates under the CSP with no violation`, async ({ page, consoleErrors }) => {
      const violations: string[] = [];
      await page.exposeFunction("reportCspViolation", (text: string) => violations.push(text));
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) =>
          (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
            `${event.violatedDirective} ${event.blockedURI}`,
          ),
        );
      });
      const response = await page.goto(path === "/" ? "/" : `${path}?limit=120&pageSize=20`);
      expect(response?.headers()["content-security-policy"]).toMatch(/'nonce-/);
      if (path !== "/") {
        // The rows came in streamed boundaries (or NDJSON lines) and all of them were revealed.
        await expect(page.locator("#catalog-summary")).toHaveAttribute("data-count", "120");
        await expect(page.locator("[data-bike-id]")).toHaveCount(120);
        await expect(page.locator("tbody.skeleton")).toHaveCount(0);
      }
      await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
      // Client navigation runs the app's own scripts under the same policy.
      await page.getByRole("link", { name: "Firstbyte" }).click();
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(violations).toEqual([]);
      expect(consoleErrors).toEqual([]);
    });
  }
});
