/** One key attribute's value: S → string, N → number, B → bytes. */
export type KeyValue = string | number | Uint8Array;
/** A LastEvaluatedKey / ExclusiveStartKey: the key attributes of one item. */
export type Key = Record<string, KeyValue>;
/** The key attributes of a table and their types, e.g. `{ id: "S" }` or `{ pk: "S", sk: "N" }`. */
export type KeySchema = Record<string, "S" | "N" | "B">;

export type KeyType = KeySchema[string];

// A partition key value is at most 2048 bytes, a sort key value at most 1024
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-partition-sort-keys).
// A bare Key does not say which attribute is which, so the larger bound applies to both.
export const MAX_KEY_VALUE_BYTES = 2048;
// DynamoDB numbers: magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125, or 0
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number).
const MIN_NUMBER_MAGNITUDE = 1e-130;
const MAX_NUMBER_MAGNITUDE_EXCLUSIVE = 1e126;

// With the `u` flag only unpaired surrogates match \p{Cs}; they have no UTF-8 form,
// so the SDK would send U+FFFD instead and address a different item.
const LONE_SURROGATE = /\p{Cs}/u;

const utf8 = new TextEncoder();

export function isKeyValue(value: unknown): value is KeyValue {
  return typeof value === "string" || typeof value === "number" || value instanceof Uint8Array;
}

/** What keeps `value` from being a key value DynamoDB accepts, in plain words; undefined when it is fine. */
export function keyValueProblem(value: KeyValue): string | undefined {
  if (typeof value === "string") {
    if (value.length === 0) return "is an empty string (DynamoDB key strings must be non-empty)";
    if (LONE_SURROGATE.test(value)) return "is a string with an unpaired UTF-16 surrogate";
    if (utf8.encode(value).byteLength > MAX_KEY_VALUE_BYTES) {
      return `is a string longer than ${MAX_KEY_VALUE_BYTES} bytes (DynamoDB's key size limit)`;
    }
    return undefined;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "is not a finite number";
    const magnitude = Math.abs(value);
    if (magnitude !== 0 && (magnitude < MIN_NUMBER_MAGNITUDE || magnitude >= MAX_NUMBER_MAGNITUDE_EXCLUSIVE)) {
      return "is a number outside DynamoDB's range (1E-130 to 1E+126 in magnitude)";
    }
    return undefined;
  }
  if (value.byteLength === 0) return "is empty binary (DynamoDB key binaries must be non-empty)";
  if (value.byteLength > MAX_KEY_VALUE_BYTES) {
    return `is binary longer than ${MAX_KEY_VALUE_BYTES} bytes (DynamoDB's key size limit)`;
  }
  return undefined;
}

/**
 * Checks a runtime object (from the SDK or a caller) against the Key shape. Returns the Key as a
 * fresh object, or a plain-words problem.
 */
export function checkKey(candidate: unknown): { key: Key } | { problem: string } {
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    Array.isArray(candidate) ||
    candidate instanceof Uint8Array
  ) {
    return { problem: "is not an object of key attributes" };
  }
  const entries = Object.entries(candidate);
  if (entries.length === 0) return { problem: "has no key attributes" };
  for (const [name, value] of entries) {
    if (!isKeyValue(value)) {
      return { problem: `attribute ${quote(name)} is not a string, number or Uint8Array` };
    }
    const problem = keyValueProblem(value);
    if (problem !== undefined) return { problem: `attribute ${quote(name)} ${problem}` };
  }
  // fromEntries defines own properties, so an attribute called "__proto__" stays data.
  return { key: Object.fromEntries(entries) as Key };
}

/** Quotes a name for an error message, cut short so a hostile token cannot flood logs. */
export function quote(name: string): string {
  const shown = name.length > 64 ? `${name.slice(0, 64)}…` : name;
  return JSON.stringify(shown);
}
