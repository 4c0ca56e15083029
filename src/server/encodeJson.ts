import { Buffer } from 'node:buffer';

/** A value's UTF-8 JSON text, ready to be written into a buffer. */
export interface EncodedJson {
  /** Its length in bytes. */
  readonly bytes: number;
  /**
   * The whole JSON text, when the value held no long string and it was built as one string
   * (as `JSON.stringify` would): a caller may use it as it is.
   */
  readonly text?: string;
  /** Writes it into `target` at `offset` (which must have room); returns the bytes written. */
  writeTo(target: Buffer, offset: number): number;
}

/** Strings at least this long are written into the target as they are, never copied first. */
const LONG_STRING = 1024;

/** Characters JSON escapes, and UTF-16 surrogates (escaped by JSON.stringify when unpaired). */
// eslint-disable-next-line no-control-regex
const TO_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Encodes `value` as `JSON.stringify` does, to be written as UTF-8 into a buffer, without
 * building the whole JSON text: the long strings of the value that need no escaping (the
 * payload of a big message: base64 data, generated text) go into the buffer as they are, and
 * only the rest is stringified (natively).
 * `JSON.stringify` builds a 16 KiB message's text in parts and then joins them, about three
 * times its size in short-lived heap, and the text is then copied into bytes: the SSE writer
 * (`sseMessage`) and the proxy's event store encode every message they send or keep this way.
 *
 * The bytes are those of `Buffer.from(JSON.stringify(value))`, with one difference that no
 * JSON-RPC message shows: the `toJSON` of a value inside a member is called with the key `''`.
 * Throws as `JSON.stringify` does (a `BigInt`, a cycle).
 */
export function encodeJson(value: unknown): EncodedJson {
  const parts: string[] = [];
  let bytes = 0;
  let pending = '';
  const flush = (): void => {
    if (pending === '') return;
    parts.push(pending);
    bytes += Buffer.byteLength(pending, 'utf8');
    pending = '';
  };
  const out = {
    short: (text: string): void => {
      pending += text;
    },
    long: (text: string): void => {
      flush();
      parts.push(text);
      bytes += Buffer.byteLength(text, 'utf8');
    },
  };
  emit(resolve(value, ''), out);
  flush();
  const text = parts.length === 1 && !holdsLongString(parts[0]) ? parts[0] : undefined;
  return {
    bytes,
    ...(text === undefined ? {} : { text }),
    writeTo(target, offset) {
      let at = offset;
      for (const part of parts) at += target.write(part, at, 'utf8');
      return at - offset;
    },
  };
}

interface Out {
  short(text: string): void;
  long(text: string): void;
}

/** The value `JSON.stringify` writes for `value` under `key`: its `toJSON()` when it has one. */
function resolve(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? (toJSON.call(value, key) as unknown) : value;
}

/** Whether `JSON.stringify` leaves a member with this value out of an object. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** Whether a long string is to be found in `value` (a `toJSON` value is left to stringify). */
function holdsLongString(value: unknown): boolean {
  if (typeof value === 'string') return value.length >= LONG_STRING;
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return value.some(holdsLongString);
  // Inherited members are visited too: that only makes a value take the slower exact path.
  for (const key in value) {
    if (holdsLongString((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function emit(value: unknown, out: Out): void {
  if (omitted(value)) {
    out.short('null');
  } else if (!holdsLongString(value)) {
    out.short(JSON.stringify(value));
  } else if (typeof value === 'string') {
    emitLongString(value, out);
  } else if (Array.isArray(value)) {
    out.short('[');
    value.forEach((item: unknown, index) => {
      if (index > 0) out.short(',');
      emit(resolve(item, String(index)), out);
    });
    out.short(']');
  } else {
    let separator = '{';
    for (const name of Object.keys(value as object)) {
      const member = resolve((value as Record<string, unknown>)[name], name);
      if (omitted(member)) continue;
      out.short(`${separator}${JSON.stringify(name)}:`);
      separator = ',';
      emit(member, out);
    }
    out.short(separator === '{' ? '{}' : '}');
  }
}

/**
 * A long string with nothing to escape (base64 data, most payloads) is written as it is; one
 * with something to escape (text with newlines or quotes) is stringified, as JSON.stringify
 * would: escaping it piece by piece costs more time than the copy it saves.
 */
function emitLongString(text: string, out: Out): void {
  if (TO_ESCAPE.test(text)) {
    out.long(JSON.stringify(text));
    return;
  }
  out.short('"');
  out.long(text);
  out.short('"');
}
