// DynamoDB failing after the shell, through the Lambda path: the fault proxy (e2e/fixtures.ts) sits
// between the function and dynalite. Skipped against a deployed stage, where faults cannot be injected.
import type { Fault } from "@firstbyte/dynamo-local";
import { bikeIdsOf, ndjsonLines } from "../harness/ndjson";
import { attributeOf, bikeRowIds, linkOf } from "../harness/server-html";
import { EXPECTED_BIKES, expect, targetUrl, test } from "./fixtures";
import { readWhole } from "./read-whole";

const PAGE = 50;
const FAILS_AFTER = 3; // Scan requests that succeed before DynamoDB fails for good

for (const [name, fault] of [
  ["HTTP 500", { kind: "http500" }],
  ["a reset connection", { kind: "reset" }],
] as const satisfies ReadonlyArray<readonly [string, Fault]>) {
  test(`${name} after ${FAILS_AFTER} Scans: the rows stay, an error row follows them in the HTML, and "Continue from here" goes on exactly`, async ({
    faults,
  }) => {
    await faults.setFaults([{ operation: "Scan", after: FAILS_AFTER, fault }]);
    const url = `${targetUrl()}/bikes?pageSize=${PAGE}`;
    const response = await readWhole(url);
    expect(response.status).toBe(200);
    // Every byte of the error row and closing line, then no clean end: no cache stores it (decision 027).
    expect(response.complete).toBe(false);
    const html = response.body;
    const shown = bikeRowIds(html);
    expect(shown).toHaveLength(FAILS_AFTER * PAGE);
    // The error row is server-rendered after the last row, and says what happened in plain words.
    const errorAt = html.indexOf('id="catalog-error"');
    expect(errorAt).toBeGreaterThan(html.lastIndexOf(`<tr data-bike-id="${shown.at(-1)}"`));
    expect(attributeOf(html, "catalog-error", "data-error-code")).toBe("dynamodb_unavailable");
    expect(html.slice(errorAt, errorAt + 400)).toContain(`stopped answering after ${FAILS_AFTER * PAGE} bikes`);
    expect(attributeOf(html, "catalog-summary", "data-complete")).toBe("false");
    expect(html).not.toMatch(/\bat .+\.js:\d+/); // no stack trace
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    const state = await faults.state();
    expect(state.counts.Scan?.faulted).toBeGreaterThan(0);

    // DynamoDB is back: "Continue from here" reads the rest, none twice, none skipped.
    await faults.clearFaults();
    const continueUrl = linkOf(html, "catalog-continue", url);
    expect(continueUrl, "the page has #catalog-continue").toBeTruthy();
    const rest = bikeRowIds(await (await fetch(continueUrl!)).text());
    expect(rest.filter((id) => shown.includes(id))).toEqual([]);
    expect(new Set([...shown, ...rest]).size).toBe(EXPECTED_BIKES);
    // "Try again" is the same request, which now reads every bike.
    expect(linkOf(html, "catalog-retry", url)).toBe(url);
  });
}

test("/api/bikes ends with an error line: code, message and the cursor to go on from", async ({ faults }) => {
  await faults.setFaults([{ operation: "Scan", after: 2, fault: { kind: "http500" } }]);
  const failed = await readWhole(`${targetUrl()}/api/bikes?pageSize=${PAGE}`);
  // The error line, then no clean end: no cache stores it (decision 027).
  expect(failed.complete).toBe(false);
  const text = failed.body;
  const lines = ndjsonLines<{ items?: Array<{ id: string }>; cursor?: string }>(text);
  const last = lines.at(-1) as { error: string; message: string; cursor: string; count: number };
  expect(lines).toHaveLength(3);
  expect(last.error).toBe("dynamodb_unavailable");
  expect(last.message).toContain(`after ${2 * PAGE} bikes`);
  expect(last.count).toBe(2 * PAGE);
  expect(last.cursor).toBe(lines[1]?.cursor);
  expect(text).not.toMatch(/\bat .+\.js:\d+/);

  await faults.clearFaults();
  const rest = await (await fetch(`${targetUrl()}/api/bikes?pageSize=500&cursor=${last.cursor}`)).text();
  const seen = bikeIdsOf(lines.slice(0, 2));
  const more = bikeIdsOf(ndjsonLines(rest));
  expect(more.filter((id) => seen.includes(id))).toEqual([]);
  expect(new Set([...seen, ...more]).size).toBe(EXPECTED_BIKES);
});

test("/bikes/client shows the failure in words, with the continue and retry links", async ({ page, faults }) => {
  await faults.setFaults([{ operation: "Scan", after: 2, fault: { kind: "http500" } }]);
  await page.goto(`/bikes/client?pageSize=${PAGE}`);
  const summary = page.locator("#catalog-summary");
  await expect(summary).toHaveAttribute("data-error-code", "dynamodb_unavailable");
  await expect(summary).toContainText(`stopped answering after ${2 * PAGE} bikes`);
  await expect(page.locator("[data-bike-id]")).toHaveCount(2 * PAGE);
  await expect(page.locator("#catalog-continue")).toHaveAttribute("href", /cursor=/);
  await expect(page.locator("#catalog-retry")).toBeVisible();
});

test("two throttled Scans are recovered by the SDK's retries: every bike, no error row", async ({ faults }) => {
  await faults.setFaults([{ operation: "Scan", after: 1, times: 2, fault: { kind: "throttle" } }]);
  const html = await (await fetch(`${targetUrl()}/bikes?pageSize=200`)).text();
  expect(new Set(bikeRowIds(html)).size).toBe(EXPECTED_BIKES);
  expect(html).not.toContain('id="catalog-error"');
  expect(attributeOf(html, "catalog-summary", "data-complete")).toBe("true");
  expect((await faults.state()).counts.Scan?.faulted).toBe(2);
});

test("a DynamoDB that stops answering meets the time budget: the page ends cleanly, and its next links read every bike once", async ({
  faults,
}) => {
  // The second Scan is held and never released: only the time budget can end the response, which
  // then holds exactly the first Scan's rows, however slow the machine (decision 032).
  const BUDGET_MS = 3000;
  await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "hold" } }]);
  const first = `${targetUrl()}/bikes?pageSize=100&budgetMs=${BUDGET_MS}`;
  const html = await (await fetch(first)).text();
  const shown = bikeRowIds(html);
  expect(shown).toHaveLength(100);
  expect(attributeOf(html, "catalog-summary", "data-stopped-by")).toBe("time");
  expect(html).not.toContain('id="catalog-error"');
  expect((await faults.state()).held, "the server dropped the Scan it no longer wanted").toBe(0);
  await faults.clearFaults();
  // The whole chain: each next link goes on where the last stopped, to the end of the table.
  const seen = [...shown];
  let url = linkOf(html, "catalog-next", first);
  expect(url, "the page has #catalog-next").toBeTruthy();
  for (let step = 0; url && step < EXPECTED_BIKES / 100; step++) {
    const next = await (await fetch(url)).text();
    seen.push(...bikeRowIds(next));
    const following = linkOf(next, "catalog-next", url);
    if (!following) expect(attributeOf(next, "catalog-summary", "data-complete")).toBe("true");
    url = following;
  }
  expect(url).toBeUndefined();
  expect(seen).toHaveLength(EXPECTED_BIKES);
  expect(new Set(seen).size).toBe(EXPECTED_BIKES);
});

test("persistent throttling ends the stream with the throttled error row, and the buffered API with a 503", async ({
  faults,
}) => {
  // Every Scan after the first two is throttled, so the SDK's retries cannot recover it.
  await faults.setFaults([{ operation: "Scan", after: 2, fault: { kind: "throttle" } }]);
  // A failed stream ends without its terminating chunk (decision 027): read what came.
  const page = await readWhole(`${targetUrl()}/bikes?pageSize=${PAGE}`);
  expect(page.complete).toBe(false);
  const html = page.body;
  expect(bikeRowIds(html)).toHaveLength(2 * PAGE);
  expect(attributeOf(html, "catalog-error", "data-error-code")).toBe("dynamodb_throttled");
  expect(attributeOf(html, "catalog-summary", "data-complete")).toBe("false");
  expect(linkOf(html, "catalog-continue", targetUrl())).toMatch(/cursor=/);
  const retried = (await faults.state()).counts.Scan?.faulted ?? 0;
  expect(retried, "the SDK retried the throttled Scan before giving up").toBeGreaterThan(1);

  await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "throttle" } }]);
  const api = await fetch(`${targetUrl()}/api/bikes?mode=buffered&pageSize=${PAGE}`);
  expect(api.status).toBe(503);
  expect(api.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(((await api.json()) as { error: string }).error).toBe("dynamodb_throttled");
});

test("/api/bikes?mode=buffered answers 503 with Retry-After when DynamoDB fails, and no partial array", async ({
  faults,
}) => {
  await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "http500" } }]);
  const response = await fetch(`${targetUrl()}/api/bikes?mode=buffered&pageSize=${PAGE}`);
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
  const body = (await response.json()) as { error: string; message: string; cursor?: string };
  expect(body.error).toBe("dynamodb_unavailable");
  expect(body.message).toContain("nothing was sent");
  expect(body.cursor).toBeUndefined();
});

test("a refused DynamoDB action is not worth retrying: 500 without Retry-After before the first byte, the error row after it", async ({
  faults,
}) => {
  // AccessDeniedException, as a wrong IAM policy gives: the same request would fail the same way.
  await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "denied" } }]);
  const api = await fetch(`${targetUrl()}/api/bikes?mode=buffered&pageSize=${PAGE}`);
  expect(api.status).toBe(500);
  expect(api.headers.get("retry-after")).toBeNull();
  const body = (await api.json()) as { error: string; message: string };
  expect(body.error).toBe("scan_failed");
  expect(body.message).not.toMatch(/try again/i);

  const page = await fetch(`${targetUrl()}/bikes/buffered?pageSize=${PAGE}`);
  expect(page.status).toBe(500);
  expect(page.headers.get("retry-after")).toBeNull();
  const html = await page.text();
  expect(bikeRowIds(html)).toEqual([]);
  expect(html).not.toContain('id="catalog-unavailable"');
  expect(html).not.toMatch(/\bat .+\.js:\d+/);

  // The streamed page has sent its 200 with the shell: the failure is an error row after the rows.
  await faults.setFaults([{ operation: "Scan", after: FAILS_AFTER, fault: { kind: "denied" } }]);
  const streamed = (await readWhole(`${targetUrl()}/bikes?pageSize=${PAGE}`)).body;
  expect(bikeRowIds(streamed)).toHaveLength(FAILS_AFTER * PAGE);
  expect(attributeOf(streamed, "catalog-error", "data-error-code")).toBe("scan_failed");
  // Three responses, one refused Scan request each: the SDK does not retry a refusal (it retries a 500
  // up to its attempts).
  expect((await faults.state()).counts.Scan?.faulted).toBe(3);
});

test("/bikes/buffered answers 503 with Retry-After and a server-rendered message, never a short list (decision 023)", async ({
  faults,
}) => {
  await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "http500" } }]);
  const url = `${targetUrl()}/bikes/buffered?pageSize=${PAGE}`;
  const response = await fetch(url);
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("content-type")).toContain("text/html");
  const html = await response.text();
  // The first Scan page was read, and dropped: the page is the whole catalog or nothing.
  expect(bikeRowIds(html)).toEqual([]);
  // The message is in the HTML itself, so it reads without JavaScript.
  expect(attributeOf(html, "catalog-unavailable", "data-error-code")).toBe("dynamodb_unavailable");
  expect(html.replace(/<[^>]+>/g, "")).toContain(
    "The catalog&#x27;s database stopped answering, so no bikes were sent",
  );
  expect(linkOf(html, "catalog-retry", url)).toBe(url);
  expect(linkOf(html, "catalog-streamed", url)).toBe(`${targetUrl()}/bikes?pageSize=${PAGE}`);
  expect(html).not.toMatch(/\bat .+\.js:\d+/);
  expect((await faults.state()).counts.Scan?.faulted).toBeGreaterThan(0);

  // HEAD renders the page too (Next answers it once the render is done): the same status, no body.
  const head = await fetch(url, { method: "HEAD" });
  expect(head.status).toBe(503);
  expect(head.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(await head.text()).toBe("");

  // DynamoDB is back: "Try again" is the same request, which now answers every bike.
  await faults.clearFaults();
  const again = await fetch(url);
  expect(again.status).toBe(200);
  expect(again.headers.get("retry-after")).toBeNull();
  expect(bikeRowIds(await again.text())).toHaveLength(EXPECTED_BIKES);
});

test("in Chromium the buffered page's 503 shows its message with JavaScript off, and hydrates with it on", async ({
  browser,
  page,
  faults,
  consoleErrors,
}) => {
  await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "http500" } }]);
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  const plainResponse = await plain.goto(`${targetUrl()}/bikes/buffered?pageSize=${PAGE}`);
  expect(plainResponse?.status()).toBe(503);
  await expect(plain.locator("#catalog-unavailable")).toBeVisible();
  await expect(plain.locator("#catalog-unavailable")).toContainText("no bikes were sent");
  await noScript.close();

  const response = await page.goto(`/bikes/buffered?pageSize=${PAGE}`);
  expect(response?.status()).toBe(503);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator("#catalog-unavailable")).toBeVisible();
  await expect(page.locator("[data-bike-id]")).toHaveCount(0);
  // Chromium reports the document's own status; nothing else may fail.
  expect(consoleErrors.filter((error) => !/status of 503/.test(error))).toEqual([]);
});

test("a bike's page answers a failed GetItem with 503, Retry-After and the message; 404 and 200 stay", async ({
  faults,
}) => {
  const id = bikeRowIds(await (await fetch(`${targetUrl()}/bikes/buffered?limit=1`)).text())[0];
  expect(id).toBeTruthy();
  await faults.setFaults([{ operation: "GetItem", fault: { kind: "http500" } }]);
  const url = `${targetUrl()}/bikes/${id}`;
  const response = await fetch(url);
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
  const html = await response.text();
  expect(attributeOf(html, "catalog-unavailable", "data-error-code")).toBe("dynamodb_unavailable");
  expect(html.replace(/<[^>]+>/g, "")).toContain("stopped answering, so this bike could not be shown");
  expect(html).toContain("<title>Catalog unavailable · Firstbyte</title>");
  expect(linkOf(html, "catalog-retry", url)).toBe(url);
  expect(html).not.toMatch(/\bat .+\.js:\d+/);
  // One GetItem for the page and its title (memoised), retried by the SDK.
  expect((await faults.state()).counts.GetItem?.faulted).toBeGreaterThan(0);

  await faults.clearFaults();
  expect((await fetch(url)).status).toBe(200);
  expect((await fetch(`${targetUrl()}/bikes/no-such-bike`)).status).toBe(404);
});

test("a client-side navigation to the failing buffered page shows the same message, and Try again recovers", async ({
  page,
  faults,
  consoleErrors,
}) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "http500" } }]);
  // Next's router fetches the page's RSC payload, whose 200 is sent before the page renders
  // (decision 023): the message comes in the payload, not in React's error boundary.
  await page.getByRole("link", { name: "Buffered catalog" }).click();
  await expect(page).toHaveURL(/\/bikes\/buffered$/);
  await expect(page.locator("#catalog-unavailable")).toBeVisible();
  await expect(page.locator("#catalog-unavailable")).toHaveAttribute("data-error-code", "dynamodb_unavailable");
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);
  await expect(page.locator("[data-bike-id]")).toHaveCount(0);

  await faults.clearFaults();
  await page.locator("#catalog-retry").click();
  await expect(page.locator("[data-bike-id]")).toHaveCount(EXPECTED_BIKES);
  expect(consoleErrors).toEqual([]);
});
