/**
 * RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as ECMAScript's JSON.stringify writes them. The one place a
 * digest turns a value into text; swapping in the `canonicalize` package is a one-line change.
 * Written for speed (a province run digests ~49,000 outcomes): one pass, strings without
 * characters to escape copied as they are.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** Characters JSON.stringify escapes (quote, backslash, controls) or checks (lone surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
      if (LONE_SURROGATE.test(value)) throw new TypeError(`canonical JSON (RFC 8785) has no form for a lone surrogate, in ${JSON.stringify(value)}`);
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    case 'bigint':
      throw new TypeError('canonical JSON has no form for a bigint');
    default:
      return undefined; // undefined, a function, a symbol: left out of objects, null in arrays
  }
  if (value === null) return 'null';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return write((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + (write(value[i]) ?? 'null');
    return text + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = write(record[key]);
    if (member === undefined) continue;
    text += (first ? '' : ',') + write(key) + ':' + member;
    first = false;
  }
  return text + '}';
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}
