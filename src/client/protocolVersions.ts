import { RxMcpError } from '../errors.js';

/** The MCP revision the client offers unless told otherwise. */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';

/**
 * The MCP revisions the client speaks, newest first. A server may answer `initialize` with
 * any of them; anything else ends the connection with a `protocol` error.
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [
  LATEST_PROTOCOL_VERSION,
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
];

/**
 * Checks the version a server answered `initialize` with: `undefined` when the client speaks
 * it, else the `protocol` error to end the connection with, naming what was offered, what
 * came back and what would have been accepted.
 *
 * ## Example
 *
 * ```ts
 * import { refuseProtocolVersion } from 'rxmcp';
 *
 * refuseProtocolVersion('2025-11-25', '2025-06-18'); // undefined: accepted
 * refuseProtocolVersion('2025-11-25', '1.0.0')?.message;
 * // 'The server answered initialize with protocol version "1.0.0", ...'
 * ```
 */
export function refuseProtocolVersion(offered: string, received: unknown): RxMcpError | undefined {
  // [spec 2025-11-25 lifecycle] If the client does not support the version in the server's
  // response, it SHOULD disconnect.
  if (typeof received === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(received)) {
    return undefined;
  }
  return new RxMcpError(
    'protocol',
    `The server answered initialize with protocol version ${JSON.stringify(received)}, ` +
      `which this client does not speak (it offered "${offered}" and supports ` +
      `${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}). Disconnected; upgrade the client or the server.`,
    { data: { offered, received, supported: SUPPORTED_PROTOCOL_VERSIONS } },
  );
}
