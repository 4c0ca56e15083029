import { RxMcpError } from '../errors.js';
import type { JsonRpcId } from '../jsonrpc/types.js';

/**
 * The ids of one connection's requests that await a response. Ids come from a counter that
 * starts at 1 and never repeats on the connection, so a late or duplicated response can never
 * be taken for the answer to a newer request.
 */
export interface PendingRequests {
  /** Issues the next id and marks it pending; throws a `limit` error when full. */
  open(method: string): number;
  /** Forgets a pending id: on response, error, timeout and unsubscribe alike. */
  settle(id: number): void;
  /** Whether `id` awaits its response now. */
  isPending(id: JsonRpcId | undefined): boolean;
  /** Whether `id` was issued on this connection (pending or not). */
  wasIssued(id: JsonRpcId | undefined): boolean;
}

/**
 * The registry behind {@link PendingRequests}, bounded by `capacity` (overflow policy: the new
 * request fails with a `limit` error; nothing is queued).
 */
export function createPendingRequests(capacity: number): PendingRequests {
  const pending = new Set<number>();
  let lastId = 0;
  return {
    open(method) {
      if (pending.size >= capacity) {
        throw new RxMcpError(
          'limit',
          `Cannot send ${method}: ${capacity} requests already await a response ` +
            '(maxPendingRequests). Wait for some to finish, or raise maxPendingRequests.',
        );
      }
      lastId += 1;
      pending.add(lastId);
      return lastId;
    },
    settle(id) {
      pending.delete(id);
    },
    isPending(id) {
      return typeof id === 'number' && pending.has(id);
    },
    wasIssued(id) {
      return typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= lastId;
    },
  };
}
