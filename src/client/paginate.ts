import { concat, concatMap, defer, of, throwError } from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError } from '../errors.js';
import type { PaginatedResult } from './types.js';

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /**
   * The most pages to fetch. A server that keeps handing out new cursors is cut off here with
   * a `limit` error, after the pages fetched so far were emitted.
   * @default 100
   */
  readonly maxPages?: number;
  /**
   * The cursor to start from, for example a `nextCursor` kept from an earlier listing.
   * @default undefined — the first page
   */
  readonly cursor?: string;
  /**
   * What is being listed, for error messages (for example `'tools/list'`).
   * @default 'the list'
   */
  readonly label?: string;
}

/**
 * Follows `nextCursor` from page to page, lazily: a page is requested only once the previous
 * one has been emitted and the subscriber is still there, so `take(n)` or an unsubscribe stops
 * the listing (and cancels a page in flight). A server that repeats a cursor would loop for
 * ever: that fails with a `protocol` error, and `maxPages` caps the rest.
 *
 * A `nextCursor` that is absent, not a string, or empty ends the listing.
 *
 * Built from `concat`, not `expand`: `expand` subscribes to the next page right after emitting
 * the current one, even when the subscriber left while handling it, which would send (and at
 * once cancel) a request nobody wants.
 *
 * ```text
 * fetchPage(undefined)   --A|                 A.nextCursor = 'b'
 * fetchPage('b')             --B|             B.nextCursor = 'c'
 * fetchPage('c')                 --C|         no nextCursor
 * paginate(fetchPage)    --A-----B-----C|
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { paginate, toResult } from 'rxmcp';
 * import type { ListResourceTemplatesResult } from 'rxmcp';
 *
 * paginate(
 *   (cursor) =>
 *     client
 *       .request<ListResourceTemplatesResult>('resources/templates/list', cursor ? { cursor } : {})
 *       .pipe(toResult()),
 *   { label: 'resources/templates/list' },
 * ).subscribe((page) => console.log(page.resourceTemplates));
 * ```
 */
export function paginate<P extends PaginatedResult>(
  fetchPage: (cursor: string | undefined) => Observable<P>,
  options: PaginateOptions = {},
): Observable<P> {
  const { maxPages = 100, cursor, label = 'the list' } = options;
  if (!(Number.isInteger(maxPages) && maxPages >= 1)) {
    throw new RangeError(`maxPages must be a positive integer, got ${maxPages}.`);
  }
  return defer(() => {
    // Bounded by maxPages: one entry per page fetched.
    const seen = new Set<string>(cursor === undefined ? [] : [cursor]);
    const pageAt = (at: string | undefined, page: number): Observable<P> =>
      fetchPage(at).pipe(
        concatMap((result) => {
          const next = result.nextCursor;
          if (typeof next !== 'string' || next === '') return of(result);
          return concat(
            of(result),
            defer(() => follow(next, page + 1)),
          );
        }),
      );
    const follow = (next: string, page: number): Observable<P> => {
      if (seen.has(next)) {
        return throwError(
          () =>
            new RxMcpError(
              'protocol',
              `While listing ${label}, the server returned the cursor ${JSON.stringify(next)} ` +
                'a second time; stopped to avoid an endless loop. This is a server bug.',
            ),
        );
      }
      if (page > maxPages) {
        return throwError(
          () =>
            new RxMcpError(
              'limit',
              `Stopped listing ${label} after ${maxPages} pages (maxPages) although the server ` +
                'offered more. Raise maxPages if the list is really that long.',
            ),
        );
      }
      seen.add(next);
      return pageAt(next, page);
    };
    return pageAt(cursor, 1);
  });
}
