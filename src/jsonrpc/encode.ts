import type { JsonRpcPayload } from './types.js';

/**
 * Encodes a JSON-RPC message (or a 2025-03-26 batch) as JSON text, without a trailing newline.
 *
 * `JSON.stringify` without indentation escapes every newline inside strings, so the text never
 * holds a raw `\n` and is safe to frame as one NDJSON line. Values JSON cannot represent make
 * it throw a `TypeError` (a `BigInt`, a cycle): that is a bug in the caller, not bad input.
 *
 * ## Example
 *
 * ```ts
 * import { encode } from 'rxmcp';
 *
 * encode({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
 * // '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
 * ```
 */
export function encode(message: JsonRpcPayload): string {
  return JSON.stringify(message);
}

/**
 * Encodes a JSON-RPC message as one NDJSON line: {@link encode} plus `\n`.
 *
 * ## Example
 *
 * ```ts
 * import { encodeLine } from 'rxmcp';
 *
 * process.stdout.write(encodeLine({ jsonrpc: '2.0', method: 'notifications/initialized' }));
 * ```
 */
export function encodeLine(message: JsonRpcPayload): string {
  // [spec 2025-11-25 basic_transports] Messages are delimited by newlines, and MUST NOT
  // contain embedded newlines.
  return `${encode(message)}\n`;
}
