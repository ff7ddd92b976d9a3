import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { MeasureError, measure } from "../src/index.ts";
import { compressPieces, type FlushServer, Gate, type Handler, sleep, startFlushServer } from "./flush-server.ts";

const GAP_MS = 60;
const SHELL = "<html><body><header>shell</header>";
const ROW = "<table><tr data-row-id=1><td>row one</td></tr></table>";
const END = "<footer>end</footer></body></html>";
const MARKERS = { shell: "<header>", row: "data-row-id=", end: "</html>" };

/** Writes head + first piece at once, then each later piece only after the client saw the previous one, plus a gap. */
function gated(pieces: readonly Buffer[], gate: Gate, headers: Record<string, string> = {}): Handler {
  return async (_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers });
    for (const [i, piece] of pieces.entries()) {
      if (i > 0) {
        await gate.wait(i);
        await sleep(GAP_MS);
      }
      res.write(piece);
    }
    res.end();
  };
}

async function rejection(promise: Promise<unknown>): Promise<MeasureError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MeasureError, `expected a MeasureError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the measurement to fail");
}

function assertIncreasing(values: number[]): void {
  for (let i = 1; i < values.length; i += 1)
    assert.ok(values[i]! > values[i - 1]!, `not increasing: ${values.join(", ")}`);
}

let server: FlushServer;
before(async () => {
  server = await startFlushServer();
});
after(() => server.close());

describe("identity body", () => {
  test("records one chunk per flush, in order, with markers at the chunk that carried them", async () => {
    const gate = new Gate();
    const pieces = [SHELL, ROW, END].map((text) => Buffer.from(text));
    server.route("/three", gated(pieces, gate));

    const m = await measure(server.url("/three"), { markers: MARKERS, onChunk: () => gate.open() });

    assert.equal(m.status, 200);
    assert.deepEqual(
      m.chunks.map((c) => c.bytes),
      pieces.map((p) => p.length),
    );
    assertIncreasing(m.chunks.map((c) => c.atMs));
    assert.equal(m.bytes, SHELL.length + ROW.length + END.length);
    assert.equal(m.decodedBytes, m.bytes);
    assert.ok(m.connectMs <= m.ttfbMs);
    assert.ok(m.ttfbMs <= m.chunks[0]!.atMs);
    assert.equal(m.firstBodyByteMs, m.chunks[0]!.atMs);
    assert.ok(m.ttfbMs < m.markers.row!, "the head arrives before the row flushed later");
    assert.deepEqual(m.markers, { shell: m.chunks[0]!.atMs, row: m.chunks[1]!.atMs, end: m.chunks[2]!.atMs });
    assert.ok(m.totalMs >= m.chunks[2]!.atMs);
    assert.ok(m.chunks[1]!.atMs - m.chunks[0]!.atMs >= GAP_MS / 2, "measured gap reflects the server's delay");
    assert.equal(m.dnsMs, undefined, "no lookup for an IP literal");
    assert.equal(m.body, undefined, "the body is not kept by default");
  });

  test("finds a marker that straddles two chunks at the second chunk's arrival", async () => {
    const gate = new Gate();
    const pieces = ["<table><tr data-ro", "w-id=1><td>row</td></tr>"].map((text) => Buffer.from(text));
    server.route("/straddle", gated(pieces, gate));

    const m = await measure(server.url("/straddle"), { markers: { row: "data-row-id=" }, onChunk: () => gate.open() });

    assert.equal(m.chunks.length, 2);
    assert.equal(m.markers.row, m.chunks[1]!.atMs);
  });

  test("keepBody returns the body; accept-encoding is identity unless the caller sets it", async () => {
    server.route("/echo", (req, res) => {
      res.end(`accept-encoding=${String(req.headers["accept-encoding"])}`);
    });
    const byDefault = await measure(server.url("/echo"), { keepBody: true });
    assert.equal(byDefault.body, "accept-encoding=identity");
    const overridden = await measure(server.url("/echo"), { keepBody: true, headers: { "Accept-Encoding": "gzip" } });
    assert.equal(overridden.body, "accept-encoding=gzip");
  });

  test("a non-2xx answer is measured, not thrown", async () => {
    server.route("/unavailable", (_req, res) => {
      res.writeHead(503, { "content-type": "text/plain" }).end("try later");
    });
    const m = await measure(server.url("/unavailable"));
    assert.equal(m.status, 503);
    assert.equal(m.bytes, "try later".length);
  });

  test("an empty body has no chunks and no first body byte", async () => {
    server.route("/empty", (_req, res) => {
      res.writeHead(204).end();
    });
    const m = await measure(server.url("/empty"));
    assert.equal(m.status, 204);
    assert.deepEqual(m.chunks, []);
    assert.equal(m.firstBodyByteMs, undefined);
    assert.equal(m.bytes, 0);
  });
});

describe("content-encoded body", () => {
  for (const coding of ["gzip", "br", "deflate"] as const) {
    test(`${coding}: markers found in the decoded body, bytes count wire bytes`, async () => {
      const gate = new Gate();
      const texts = [SHELL, ROW, END];
      const wire = await compressPieces(coding, texts);
      server.route(`/${coding}`, gated(wire, gate, { "content-encoding": coding }));

      const m = await measure(server.url(`/${coding}`), {
        headers: { "accept-encoding": coding },
        markers: MARKERS,
        keepBody: true,
        onChunk: () => gate.open(),
      });

      assert.deepEqual(
        m.chunks.map((c) => c.bytes),
        wire.map((w) => w.length),
      );
      assert.equal(
        m.bytes,
        wire.reduce((sum, w) => sum + w.length, 0),
      );
      assert.equal(m.decodedBytes, texts.join("").length);
      assert.equal(m.body, texts.join(""));
      assert.notEqual(m.bytes, m.decodedBytes);
      // Decoded text is attributed to the wire chunk that carried it, not to when zlib finished.
      assert.deepEqual(m.markers, { shell: m.chunks[0]!.atMs, row: m.chunks[1]!.atMs, end: m.chunks[2]!.atMs });
    });
  }

  test("an encoding it cannot decode is refused with a clear reason", async () => {
    server.route("/zstd", (_req, res) => {
      res.writeHead(200, { "content-encoding": "zstd" }).end("not really zstd");
    });
    const error = await rejection(measure(server.url("/zstd"), { headers: { "accept-encoding": "zstd" } }));
    assert.equal(error.reason, "unsupported-encoding");
    assert.match(error.message, /zstd/);
  });

  test("a corrupt gzip body fails as a decode error", async () => {
    server.route("/corrupt", (_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip" }).end("this is not gzip at all");
    });
    const error = await rejection(measure(server.url("/corrupt"), { headers: { "accept-encoding": "gzip" } }));
    assert.equal(error.reason, "decode");
  });
});

describe("failures", () => {
  test("connection refused", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await rejection(measure(`http://127.0.0.1:${port}/`));
    assert.equal(error.reason, "network");
    assert.match(error.message, /ECONNREFUSED/);
  });

  test("a server that never answers hits the timeout", async () => {
    server.route("/hang", () => undefined);
    const error = await rejection(measure(server.url("/hang"), { timeoutMs: 200 }));
    assert.equal(error.reason, "timeout");
  });

  test("a connection dropped mid-body is an incomplete response", async () => {
    server.route("/drop", async (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
      await sleep(20);
      res.socket?.destroy();
    });
    const error = await rejection(measure(server.url("/drop")));
    assert.equal(error.reason, "incomplete-response");
  });

  test("an abort signal stops the request", async () => {
    // The gate is never opened: the second piece would only come after the abort anyway.
    server.route("/slow", gated([Buffer.from("first"), Buffer.from("never sent")], new Gate()));
    const controller = new AbortController();
    const pending = measure(server.url("/slow"), { signal: controller.signal, onChunk: () => controller.abort() });
    const error = await rejection(pending);
    assert.equal(error.reason, "aborted");
  });

  test("bad URLs and options are refused before any request", async () => {
    assert.equal((await rejection(measure("not a url"))).reason, "invalid-url");
    assert.equal((await rejection(measure("ftp://127.0.0.1/"))).reason, "invalid-url");
    assert.equal((await rejection(measure(server.url("/x"), { timeoutMs: 0 }))).reason, "invalid-option");
    assert.equal((await rejection(measure(server.url("/x"), { markers: { a: "" } }))).reason, "invalid-option");
  });
});
