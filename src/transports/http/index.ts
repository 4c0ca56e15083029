/**
 * HTTP client transports: Streamable HTTP (MCP 2025-11-25), the deprecated HTTP+SSE (2024-11-05)
 * and `httpTransport`, which falls back from the first to the second. Browser-safe: no Node
 * built-ins.
 *
 * @packageDocumentation
 */
export { streamableHttpTransport } from './streamableHttpTransport.js';
export type { StreamableHttpTransportOptions } from './StreamableHttpTransportOptions.js';
export { sameOriginFetch } from './sameOriginFetch.js';
export { errorResponseFor, TRANSPORT_ERROR_CODE } from './errorResponseFor.js';
export type { TransportErrorData } from './errorResponseFor.js';
export type { SessionExpiredData } from './httpTransportErrors.js';
export { legacySseTransport } from './legacySseTransport.js';
export type { LegacySseTransportOptions } from './LegacySseTransportOptions.js';
export { httpTransport } from './httpTransport.js';
export type { HttpTransportOptions } from './httpTransport.js';
export type { HttpClientTransport } from './HttpClientTransport.js';
