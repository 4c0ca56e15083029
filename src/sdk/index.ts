/**
 * `rxmcp/sdk`: adapters between rxmcp transports and the official
 * `@modelcontextprotocol/sdk` Transport interface, in both directions. The SDK is an optional
 * peer dependency: only its types are imported here.
 *
 * @packageDocumentation
 */
export { toSdkTransport } from './toSdkTransport.js';
export { fromSdkTransport } from './fromSdkTransport.js';
export type { SdkBackedTransport } from './fromSdkTransport.js';
