import { InvalidCursorError } from "./errors.ts";
import { checkKey, type Key, type KeySchema, type KeyType, type KeyValue, keyValueProblem, quote } from "./key.ts";

// A table key is at most 2048 + 1024 bytes of values plus two attribute names of at most 255 bytes.
// The largest such key (both values binary, base64 inside JSON, base64url around it) encodes to
// about 6,200 characters; 8,192 leaves room for JSON quoting and still fits a URL.
export const MAX_CURSOR_LENGTH = 8192;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const KEY_TYPES: readonly string[] = ["S", "N", "B"];
const TYPE_NAMES: Record<KeyType, string> = { S: "a string (S)", N: "a number (N)", B: "binary (B)" };

type EncodedValue = { S: string } | { N: number } | { B: string };

/**
 * Turns a key (a page's `lastKey`) into a URL-safe token: base64url of a compact typed JSON,
 * `{"<attribute>":{"S":"…"}|{"N":123}|{"B":"<base64url>"}}`, so numbers and binary round-trip.
 * Throws TypeError for a value DynamoDB could not have returned as a key.
 */
export function encodeCursor(key: Key): string {
  const checked = checkKey(key);
  if ("problem" in checked) throw new TypeError(`Cannot encode a cursor: the key ${checked.problem}.`);
  const encoded = Object.fromEntries(
    Object.entries(checked.key).map(([name, value]) => [name, encodeValue(value)] as const),
  );
  const token = Buffer.from(JSON.stringify(encoded), "utf8").toString("base64url");
  if (token.length > MAX_CURSOR_LENGTH) {
    throw new RangeError(
      `Cannot encode a cursor: the key encodes to ${token.length} characters, over the ${MAX_CURSOR_LENGTH} that decodeCursor accepts.`,
    );
  }
  return token;
}

/**
 * Reads a token made by {@link encodeCursor} back into a key, checking it against the table's key
 * schema. Throws {@link InvalidCursorError} unless the token is exactly one valid key for `schema`:
 * every attribute of the schema, no other, each of its type and within DynamoDB's limits.
 */
export function decodeCursor(token: string, schema: KeySchema): Key {
  const schemaEntries = checkSchema(schema);
  const parsed = parseToken(token);
  for (const [name] of schemaEntries) {
    if (!Object.hasOwn(parsed, name)) {
      throw new InvalidCursorError("missing-attribute", `Invalid cursor: the key attribute ${quote(name)} is missing.`);
    }
  }
  for (const name of Object.keys(parsed)) {
    if (!Object.hasOwn(schema, name)) {
      throw new InvalidCursorError(
        "extra-attribute",
        `Invalid cursor: ${quote(name)} is not a key attribute of this table.`,
      );
    }
  }
  const entries = schemaEntries.map(([name, type]) => [name, decodeValue(name, type, parsed[name])] as const);
  return Object.fromEntries(entries) as Key;
}

function encodeValue(value: KeyValue): EncodedValue {
  if (typeof value === "string") return { S: value };
  if (typeof value === "number") return { N: value };
  return { B: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64url") };
}

function checkSchema(schema: KeySchema): Array<[string, KeyType]> {
  const entries = typeof schema === "object" && schema !== null ? Object.entries(schema) : [];
  if (entries.length === 0)
    throw new TypeError('decodeCursor needs a key schema with at least one attribute, e.g. { id: "S" }.');
  for (const [name, type] of entries) {
    if (!KEY_TYPES.includes(type)) {
      throw new TypeError(
        `decodeCursor: the schema gives ${quote(name)} the type ${quote(String(type))}; key types are "S", "N" or "B".`,
      );
    }
  }
  return entries;
}

function parseToken(token: string): Record<string, unknown> {
  if (typeof token !== "string") {
    throw new InvalidCursorError("not-base64url", "Invalid cursor: it is not a string.");
  }
  if (token.length === 0) throw new InvalidCursorError("empty", "Invalid cursor: it is empty.");
  if (token.length > MAX_CURSOR_LENGTH) {
    throw new InvalidCursorError(
      "too-long",
      `Invalid cursor: it is ${token.length} characters long, more than the ${MAX_CURSOR_LENGTH} any key needs.`,
    );
  }
  const bytes = decodeBase64url(token);
  if (bytes === undefined) {
    throw new InvalidCursorError("not-base64url", "Invalid cursor: it is not base64url text.");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new InvalidCursorError("not-json", "Invalid cursor: its content is not JSON.");
  }
  if (!isPlainObject(parsed)) {
    throw new InvalidCursorError("wrong-shape", "Invalid cursor: its content is not an object of key attributes.");
  }
  return parsed;
}

function decodeValue(name: string, type: KeyType, encoded: unknown): KeyValue {
  if (!isPlainObject(encoded)) {
    throw new InvalidCursorError(
      "wrong-shape",
      `Invalid cursor: the attribute ${quote(name)} is not a typed value like {"S": "…"}.`,
    );
  }
  const tags = Object.keys(encoded);
  const tag = tags[0];
  if (tags.length !== 1 || tag === undefined || !KEY_TYPES.includes(tag)) {
    throw new InvalidCursorError(
      "wrong-shape",
      `Invalid cursor: the attribute ${quote(name)} must hold exactly one of "S", "N" or "B".`,
    );
  }
  const wrongType = () =>
    new InvalidCursorError("wrong-type", `Invalid cursor: the attribute ${quote(name)} must be ${TYPE_NAMES[type]}.`);
  if (tag !== type) throw wrongType();

  const raw = encoded[tag];
  let value: KeyValue;
  if (type === "S") {
    if (typeof raw !== "string") throw wrongType();
    value = raw;
  } else if (type === "N") {
    if (typeof raw !== "number") throw wrongType();
    value = raw;
  } else {
    if (typeof raw !== "string") throw wrongType();
    const bytes = raw.length === 0 ? new Uint8Array(0) : decodeBase64url(raw);
    if (bytes === undefined) {
      throw new InvalidCursorError(
        "invalid-value",
        `Invalid cursor: the binary attribute ${quote(name)} is not base64url.`,
      );
    }
    value = new Uint8Array(bytes);
  }
  const problem = keyValueProblem(value);
  if (problem !== undefined) {
    throw new InvalidCursorError("invalid-value", `Invalid cursor: the attribute ${quote(name)} ${problem}.`);
  }
  return value;
}

/** Decodes canonical unpadded base64url only: Node's decoder skips stray characters, so re-encode and compare. */
function decodeBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
