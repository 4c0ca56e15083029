/**
 * Server-sent events over `fetch`: {@link fromSSE} for one connection, {@link eventStream}
 * for a stream that reconnects, resumes and deduplicates, and the pieces they are made of.
 * Browser-safe: nothing here imports a Node built-in.
 *
 * @packageDocumentation
 */
export * from './types.js';
export * from './state.js';
export { fromSSE } from './fromSSE.js';
export type { FromSseOptions } from './fromSSE.js';
export { eventStream } from './eventStream.js';
export type { EventStream, EventStreamOptions, SseRequestSource } from './eventStream.js';
export { parseEventStream, DEFAULT_MAX_BUFFER_SIZE } from './parseEventStream.js';
export type { ParseEventStreamOptions } from './parseEventStream.js';
export { checkResponse } from './checkResponse.js';
export type { ResponseVerdict } from './checkResponse.js';
export { parseRetryAfter } from './parseRetryAfter.js';
export { readBody } from './readBody.js';
