import {
  BehaviorSubject,
  Subject,
  catchError,
  defer,
  dematerialize,
  materialize,
  merge,
  of,
  share,
  switchMap,
  tap,
  throwError,
} from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError } from '../../errors.js';
import { isRequest } from '../../jsonrpc/typeGuards.js';
import type { JsonRpcMessage } from '../../jsonrpc/types.js';
import type { Transport } from '../transport.js';
import type { HttpClientTransport } from './HttpClientTransport.js';
import { legacySseTransport } from './legacySseTransport.js';
import type { LegacySseTransportOptions } from './LegacySseTransportOptions.js';
import { streamableHttpTransport } from './streamableHttpTransport.js';
import type { StreamableHttpTransportOptions } from './StreamableHttpTransportOptions.js';

/** Options of {@link httpTransport}: those of Streamable HTTP, plus the fallback. */
export interface HttpTransportOptions extends StreamableHttpTransportOptions {
  /**
   * What to do when the server answers the first POST (the `initialize`) with 400, 404 or
   * 405: `'legacy'` tries the 2024-11-05 HTTP+SSE transport (GET for an `endpoint` event);
   * `'none'` fails the send with that `http` error.
   * @default 'legacy'
   */
  readonly fallback?: 'legacy' | 'none';
  /**
   * Options of the legacy transport when it is used. Its `url` defaults to `url`, as the
   * spec's backwards-compatibility procedure has it; the shared options (`headers`, `fetch`,
   * `init`, `retry`, `scheduler`, ...) are taken from here unless given again.
   * @default {}
   */
  readonly legacy?: Partial<LegacySseTransportOptions>;
}

const fallbackStatuses: ReadonlySet<number> = new Set([400, 404, 405]);

/**
 * An MCP client transport for a server URL whose transport is not known: Streamable HTTP
 * first, and the deprecated HTTP+SSE transport when the server does not take the
 * `initialize` POST.
 *
 * [spec 2025-11-25 transports] Attempt to POST an InitializeRequest to the server URL [...]
 * If it fails with the following HTTP status codes "400 Bad Request", "404 Not Found" or
 * "405 Method Not Allowed": Issue a GET request to the server URL, expecting that this will
 * open an SSE stream and return an endpoint event as the first event.
 *
 * The switch happens inside `send(initialize)`: the Streamable HTTP connection is ended, the
 * legacy one opened (its state shows on `state$`), and the same `initialize` sent there, so
 * the client notices nothing but a slower first answer. Once an initialize succeeded, the
 * choice holds until `messages$` is subscribed anew.
 *
 * ```text
 * send(initialize)  POST /mcp -> 405 ; GET /mcp -> endpoint(/messages?s=1) ; POST /messages?s=1 -|
 * messages$         -------------------------------------------initialize result--------------
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { connect, httpTransport } from 'rxmcp';
 *
 * const transport = httpTransport({ url: userGivenUrl });
 * connect(transport, { clientInfo: { name: 'app', version: '1.0.0' } }).subscribe();
 * ```
 */
export function httpTransport(options: HttpTransportOptions): HttpClientTransport {
  const { fallback = 'legacy', legacy: legacyOptions = {}, ...shared } = options;
  const modern = streamableHttpTransport(shared);
  if (fallback === 'none') return modern;
  const legacy = legacySseTransport({
    url: shared.url,
    ...pick(shared),
    ...legacyOptions,
  });
  let active: Transport = modern;
  let decided = false;
  const shown = new BehaviorSubject<Transport>(modern);
  const switchTo = new Subject<Transport>();

  const messages$ = defer(() => {
    active = modern;
    decided = false;
    shown.next(modern);
    return merge(of(modern), switchTo).pipe(
      // The old transport is unsubscribed (torn down) as the new one opens; the end of the
      // current one (completion or error) ends the stream.
      switchMap((transport) => transport.messages$.pipe(materialize())),
      dematerialize(),
    );
  }).pipe(share());

  const send = (message: JsonRpcMessage): Observable<void> =>
    defer(() => {
      const initialize = isRequest(message) && message.method === 'initialize';
      return active.send(message).pipe(
        catchError((error: unknown) => {
          const status = RxMcpError.from(error).status;
          if (!initialize || decided || active !== modern || status === undefined) {
            return throwError(() => error);
          }
          if (!fallbackStatuses.has(status)) return throwError(() => error);
          active = legacy;
          shown.next(legacy);
          switchTo.next(legacy);
          return legacy.send(message);
        }),
        tap({ complete: () => (decided ||= initialize) }),
      );
    });

  return {
    messages$,
    state$: shown.pipe(switchMap((transport) => transport.state$)),
    invalid$: merge(modern.invalid$, legacy.invalid$),
    send,
    close: () => defer(() => active.close()),
  };
}

function pick(options: StreamableHttpTransportOptions): Omit<LegacySseTransportOptions, 'url'> {
  const { headers, fetch, init, retry, idleTimeoutMs, maxBufferSize, maxRedirects, scheduler } =
    options;
  return Object.fromEntries(
    Object.entries({
      headers,
      fetch,
      init,
      retry,
      idleTimeoutMs,
      maxBufferSize,
      maxRedirects,
      scheduler,
    }).filter(([, value]) => value !== undefined),
  );
}
