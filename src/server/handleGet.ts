import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseEventId } from './eventId.js';
import { refusal, sendRefusal } from './HttpRefusal.js';
import { accepts, isRefusal, overloaded, sessionOf } from './negotiateHeaders.js';
import type { ServerContext } from './ServerContext.js';

/**
 * Handles a GET to the MCP endpoint: opens the session's standalone SSE stream, or, with
 * `Last-Event-ID`, resumes the stream that id belongs to.
 *
 * A second standalone GET while one is open gets 409 Conflict: the spec forbids sending a
 * message on two streams, so the server could only starve one of them. A resume
 * (`Last-Event-ID`) of a stream that still has a connection replaces that connection: the
 * client says it lost it.
 */
export function handleGet(req: IncomingMessage, res: ServerResponse, context: ServerContext): void {
  // [spec 2025-11-25 transports] The client MUST include an Accept header, listing
  // text/event-stream as a supported content type.
  if (!accepts(req, 'text/event-stream')) {
    sendRefusal(res, refusal(406, 'The Accept header must list text/event-stream.'));
    return;
  }
  const handle = sessionOf(req, context);
  if (isRefusal(handle)) {
    sendRefusal(res, handle);
    return;
  }
  handle.touch();
  const lastEventId = req.headers['last-event-id'];
  const cursor = typeof lastEventId === 'string' ? parseEventId(lastEventId) : undefined;
  if (lastEventId !== undefined && cursor === undefined) {
    sendRefusal(
      res,
      refusal(
        400,
        `Last-Event-ID ${JSON.stringify(lastEventId)} is not an event id of this server.`,
      ),
    );
    return;
  }
  const release = context.streamSlots.tryAcquire();
  if (release === undefined) {
    sendRefusal(res, overloaded(context, 'streams'));
    return;
  }
  const refused = handle.attachGet(res, cursor, release);
  if (refused !== undefined) {
    release();
    sendRefusal(res, refused);
  }
}
