// Reading an NDJSON body such as /api/bikes': one JSON value a line, each line ended by "\n".
// Shared by `npm run perf:budget` (budget-chain.ts) and the e2e specs.

/** The body's lines, parsed; `T` is what the caller expects a line to be (not checked). A blank line is not JSON and throws. */
export function ndjsonLines<T>(ndjson: string): T[] {
  const lines = ndjson.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line) => JSON.parse(line) as T);
}

/** Ids of the bikes in the lines' `items`, in order; lines without items (the final line) add none. */
export function bikeIdsOf(lines: ReadonlyArray<{ items?: ReadonlyArray<{ id: string }> }>): string[] {
  return lines.flatMap((line) => (line.items ?? []).map((item) => item.id));
}
