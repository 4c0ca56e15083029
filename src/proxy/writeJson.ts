import { Buffer } from 'node:buffer';

/** Where {@link serialize} puts text: counted only, or written into `target` from `offset` on. */
interface Sink {
  offset: number;
  readonly target?: Buffer;
}

/**
 * Characters a JSON string cannot hold as they are (`"`, `\`, controls) and UTF-16
 * surrogates, which `JSON.stringify` escapes when unpaired: a string with any of them goes
 * through `JSON.stringify`; one without is written as it is.
 */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The number of bytes of the UTF-8 JSON text of `value`, the same text `JSON.stringify`
 * gives, without building it.
 */
export function jsonByteLength(value: unknown): number {
  const sink: Sink = { offset: 0 };
  serialize(resolve(value, ''), sink);
  return sink.offset;
}

/**
 * Writes the UTF-8 JSON text of `value` (the same bytes as
 * `Buffer.from(JSON.stringify(value))`) into `target` at `offset`; returns the bytes written.
 * The target must have room for {@link jsonByteLength} bytes.
 *
 * Performance: a long string without characters to escape (the payload of most messages) is
 * encoded straight into the buffer, so relaying a 16 KiB message allocates no 16 KiB string;
 * `JSON.stringify` builds its text in parts and then joins them.
 */
export function writeJson(value: unknown, target: Buffer, offset: number): number {
  const sink: Sink = { offset, target };
  serialize(resolve(value, ''), sink);
  return sink.offset - offset;
}

function put(sink: Sink, text: string): void {
  sink.offset +=
    sink.target === undefined
      ? Buffer.byteLength(text, 'utf8')
      : sink.target.write(text, sink.offset, 'utf8');
}

function putString(sink: Sink, text: string): void {
  if (NEEDS_ESCAPE.test(text)) {
    put(sink, JSON.stringify(text));
    return;
  }
  put(sink, '"');
  put(sink, text);
  put(sink, '"');
}

/** Whether `JSON.stringify` leaves a member with this value out of an object. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** The value `JSON.stringify` writes for `value` under `key`: its `toJSON()` when it has one. */
function resolve(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? (toJSON.call(value, key) as unknown) : value;
}

// Follows JSON.stringify: `toJSON` first (once), non-finite numbers as null, members whose
// value is undefined, a function or a symbol left out of objects and written as null in arrays.
function serialize(value: unknown, sink: Sink): void {
  if (value === null || omitted(value)) {
    put(sink, 'null');
  } else if (typeof value === 'string') {
    putString(sink, value);
  } else if (typeof value === 'number') {
    put(sink, Number.isFinite(value) ? String(value) : 'null');
  } else if (typeof value === 'boolean') {
    put(sink, value ? 'true' : 'false');
  } else if (typeof value === 'bigint') {
    throw new TypeError('Do not know how to serialize a BigInt');
  } else if (Array.isArray(value)) {
    put(sink, '[');
    value.forEach((item: unknown, index) => {
      if (index > 0) put(sink, ',');
      serialize(resolve(item, String(index)), sink);
    });
    put(sink, ']');
  } else {
    put(sink, '{');
    let first = true;
    for (const name of Object.keys(value as object)) {
      const member = resolve((value as Record<string, unknown>)[name], name);
      if (omitted(member)) continue;
      if (!first) put(sink, ',');
      first = false;
      putString(sink, name);
      put(sink, ':');
      serialize(member, sink);
    }
    put(sink, '}');
  }
}
