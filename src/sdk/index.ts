/**
 * `rxmcp/sdk`: adapters between rxmcp transports and the official
 * `@modelcontextprotocol/sdk` Transport interface. The adapters arrive with the client issue;
 * this entry exists now so the package's export map is complete and resolvable.
 *
 * @packageDocumentation
 */
export {};
