// The one check for a whole number given as text: environment variables (lib/config.ts), query
// parameters (lib/params.ts) and the seed script's arguments (scripts/seed.ts). Each caller names
// the value its own way (BIKES_PAGE_SIZE, pageSize, --count) and reports the problem its own way
// (ConfigError at start-up, a 400 listing every bad parameter, a usage line), so this returns the
// problem rather than throwing.

/** A bad value as an error message quotes it: at most 40 characters, so a huge input is not echoed whole. */
export function quotedValue(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export interface WholeNumberRange {
  min: number;
  /** Omitted: no upper bound beyond Number.MAX_SAFE_INTEGER. */
  max?: number;
}

export type WholeNumberResult = { ok: true; value: number } | { ok: false; problem: string };

/**
 * Digits only: Number() alone would also take "1e3", "0x10", " 5", "1.0" and "", none of which a
 * user means as a count. `problem` completes a sentence that starts with the value's name.
 */
export function parseWholeNumber(text: string, { min, max }: WholeNumberRange): WholeNumberResult {
  const value = Number(text);
  if (/^\d+$/.test(text) && Number.isSafeInteger(value) && value >= min && (max === undefined || value <= max)) {
    return { ok: true, value };
  }
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  return { ok: false, problem: `must be a whole number ${range}, got "${quotedValue(text)}"` };
}
