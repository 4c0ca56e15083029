/**
 * `rxmcp`: the browser-safe core. Nothing reachable from here imports a Node built-in.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from '../operators/index.js';
export * from './sse/index.js';
export * from './jsonrpc/index.js';
export type * from './transports/transport.js';
export * from './client/index.js';
export * from './transports/memory.js';
export * from './transports/http/index.js';
