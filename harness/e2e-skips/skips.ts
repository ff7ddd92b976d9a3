// Every reason a test may skip for, and which target expects it (skip-reporter.ts fails a run
// with any other skip).

/** Why a fault spec is skipped against a deployed stage: its DynamoDB is AWS's, with nothing in between. */
export const NO_FAULT_PROXY =
  "DynamoDB faults can only be injected into the local stack (global-setup.ts puts the fault proxy in front of dynalite); BASE_URL points at a running site";

/** Why a spec that writes items into the table is skipped against a deployed stage. */
export const NO_TABLE_WRITES =
  "writes items into the table, which only the local stack's DynamoDB allows (BASE_URL points at a running site)";

/** Why a spec that needs two 1,000-bike Scan pages is skipped on a smaller catalog (EXPECTED_BIKES). */
export const SMALL_CATALOG = "needs more than one Scan page of 1,000 bikes";

export interface SkipTarget {
  /** BASE_URL was given: a running site, not the stack global-setup.ts starts. */
  deployed: boolean;
  /** The catalog's size (EXPECTED_BIKES). */
  expectedBikes: number;
}

/** The skip reasons a run against `target` may have; any other skip is a failure. */
export function expectedSkipReasons(target: SkipTarget): string[] {
  return [
    ...(target.deployed ? [NO_FAULT_PROXY, NO_TABLE_WRITES] : []),
    ...(target.expectedBikes <= 1000 ? [SMALL_CATALOG] : []),
  ];
}
