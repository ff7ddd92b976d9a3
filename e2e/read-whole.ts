// GET with Node's http client, for responses that may end abnormally: a catalog response that failed
// after its first byte sends every byte of its error row, then ends without its terminating chunk, so
// no cache stores it (decision 027). fetch() rejects such a body ("terminated") and drops what came;
// this keeps it and says whether the end was clean.
import http from "node:http";

export interface WholeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body ended with its terminating chunk (or its Content-Length): a cache may store it. */
  complete: boolean;
}

export function readWhole(url: string): Promise<WholeResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = "";
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete: res.complete });
      };
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", finish);
      res.on("aborted", finish);
      res.on("close", finish);
    });
    req.on("error", reject);
  });
}
