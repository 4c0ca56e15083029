/**
 * Whether a peer speaking `protocolVersion` may send JSON-RPC batches: only MCP 2025-03-26.
 *
 * Earlier revisions never mentioned batches, later ones removed them, and before a version is
 * negotiated there is none to allow (`initialize` must not be batched). An unknown or future
 * version answers `false`: refusing is the safe default, as a batch it cannot read would
 * otherwise be misread.
 *
 * ## Example
 *
 * ```ts
 * import { batchAllowedFor, decode } from 'rxmcp';
 *
 * batchAllowedFor('2025-03-26'); // true
 * batchAllowedFor('2025-11-25'); // false
 * decode('[{"jsonrpc":"2.0","method":"a"}]', { allowBatch: batchAllowedFor('2025-06-18') });
 * // Err: reason 'batch-refused'
 * ```
 */
export function batchAllowedFor(protocolVersion: string | undefined): boolean {
  // [spec 2025-03-26 changelog] Added support for JSON-RPC batching (PR #228)
  // [spec 2025-06-18 changelog] Remove support for JSON-RPC batching (PR #416)
  // [spec 2025-03-26 basic_lifecycle] The initialize request MUST NOT be part of a JSON-RPC
  // batch, ... This also permits backwards compatibility with prior protocol versions that do
  // not explicitly support JSON-RPC batches.
  return protocolVersion === '2025-03-26';
}
