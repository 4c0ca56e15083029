import { filter, map } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { RequestEvent, RequestResult } from './RequestEvent.js';
import type { Result } from './types.js';

/**
 * Keeps the result of a request and drops its progress reports: for callers that only want
 * the answer (the typed helpers such as `callTool` use it).
 *
 * ```text
 * request(...)       --p--p----r|
 * toResult()         ----------R|     R: r.result
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { toResult } from 'rxmcp';
 * import type { CallToolResult } from 'rxmcp';
 *
 * client
 *   .request<CallToolResult>('tools/call', { name: 'echo', arguments: { text: 'hi' } })
 *   .pipe(toResult())
 *   .subscribe((result) => console.log(result.content));
 * ```
 */
export function toResult<R = Result>(): OperatorFunction<RequestEvent<R>, R> {
  return (source) =>
    source.pipe(
      filter((event): event is RequestResult<R> => event.type === 'result'),
      map((event) => event.result),
    );
}
