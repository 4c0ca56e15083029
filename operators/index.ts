/**
 * `rxmcp/operators`: generic RxJS resilience operators. They know nothing of MCP, HTTP or
 * Node and are safe to bundle for the browser.
 *
 * @packageDocumentation
 */
export * from './retryWithJitter.js';
export * from './dedupeById.js';
export * from './resumeFrom.js';
export * from './boundedBuffer.js';
export * from './valve.js';
export * from './fromReadable.js';
export * from './fromReadableStream.js';
export * from './fromAsyncIterable.js';
