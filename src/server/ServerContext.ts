import type { Subject } from 'rxjs';
import type { KeepAlive } from './createKeepAlive.js';
import type { SessionHandle } from './createServerSession.js';
import type { Slots } from './createSlots.js';
import type { ServerSession } from './ServerSession.js';
import type { ResolvedServerOptions } from './StreamableHttpServerOptions.js';

/** What the request handlers share: the options, the live sessions and the admission slots. */
export interface ServerContext {
  readonly options: ResolvedServerOptions;
  /** Live sessions by id; bounded by `sessionSlots`. */
  readonly sessions: Map<string, SessionHandle>;
  readonly sessionSlots: Slots;
  readonly streamSlots: Slots;
  readonly newSessions: Subject<ServerSession>;
  /** The keep-alive tick shared by every SSE connection of the server. */
  readonly keepAlive: KeepAlive;
}
