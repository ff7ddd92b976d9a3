// The work budget's rule, apart from the scan so it is unit-tested directly (lib/catalog.ts applies
// it before every Scan request).
import type { WorkBudget } from "./config";

/** Which work budget ended a response early. */
export type BudgetStop = "bytes" | "time" | "scanRequests";

export interface WorkSpent {
  /** Scan requests answered (one page each). */
  scanRequests: number;
  bikes: number;
  /** Bytes sent (estimated for HTML, counted for NDJSON), the shell included. */
  bytes: number;
  /** The part of `bytes` sent for pages: bytes per bike come from it. */
  pageBytes: number;
  elapsedMs: number;
}

/**
 * Whether another Scan request of up to `pageSize` bikes may be made. The byte check looks one page
 * ahead, at the bytes per bike seen so far, so a response stops under its byte budget, not past it.
 */
export function budgetStop(spent: WorkSpent, budget: WorkBudget, pageSize: number): BudgetStop | undefined {
  if (spent.scanRequests >= budget.scanRequests) return "scanRequests";
  if (spent.elapsedMs >= budget.ms) return "time";
  if (spent.bikes > 0 && spent.bytes + (spent.pageBytes / spent.bikes) * pageSize > budget.bytes) return "bytes";
  return undefined;
}
