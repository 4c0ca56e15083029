import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { decodeValue } from '../jsonrpc/decodeValue.js';
import { isRequest } from '../jsonrpc/typeGuards.js';
import type { JsonRpcMessage, JsonRpcRequest } from '../jsonrpc/types.js';
import { createServerSession } from './createServerSession.js';
import type { SessionHandle } from './createServerSession.js';
import { createSessionId } from './createSessionId.js';
import { refusal, sendRefusal } from './HttpRefusal.js';
import type { HttpRefusal } from './HttpRefusal.js';
import { accepts, isRefusal, overloaded, sessionOf } from './negotiateHeaders.js';
import { readJsonBody } from './readJsonBody.js';
import type { ServerContext } from './ServerContext.js';

/**
 * Handles a POST to the MCP endpoint: one JSON-RPC message from the client.
 *
 * ```text
 * initialize (no session id)   -> new session, answered on an SSE stream (or JSON), MCP-Session-Id
 * request                      -> SSE stream (or JSON) that ends with the response
 * notification / response      -> 202 Accepted, no body
 * ```
 *
 * Returns the body-reading subscription, so that the server can stop it on shutdown.
 */
export function handlePost(
  req: IncomingMessage,
  res: ServerResponse,
  context: ServerContext,
): Subscription | undefined {
  // [spec 2025-11-25 transports] The client MUST include an Accept header, listing both
  // application/json and text/event-stream as supported content types.
  if (!accepts(req, 'application/json') || !accepts(req, 'text/event-stream')) {
    sendRefusal(
      res,
      refusal(406, 'The Accept header must list both application/json and text/event-stream.'),
    );
    return undefined;
  }
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    sendRefusal(res, refusal(415, 'The body must be JSON: send Content-Type: application/json.'));
    return undefined;
  }
  return readJsonBody(req, context.options.maxBodyBytes).subscribe((body) => {
    if (body.isErr()) {
      // The rest of a too-large body is not read: the connection cannot be reused.
      if (body.error.status === 413) res.setHeader('connection', 'close');
      sendRefusal(res, body.error);
      return;
    }
    // [spec 2025-11-25 transports] The body of the POST request MUST be a single JSON-RPC
    // request, notification, or response.
    const decoded = decodeValue(body.value);
    if (decoded.isErr()) {
      sendRefusal(res, refusal(400, decoded.error.message, { code: -32600 }));
      return;
    }
    const refused = dispatch(decoded.value, req, res, context);
    if (refused !== undefined) sendRefusal(res, refused);
  });
}

function dispatch(
  message: JsonRpcMessage,
  req: IncomingMessage,
  res: ServerResponse,
  context: ServerContext,
): HttpRefusal | undefined {
  if (isRequest(message) && message.method === 'initialize') {
    return initialize(message, req, res, context);
  }
  const handle = sessionOf(req, context);
  if (isRefusal(handle)) return handle;
  handle.touch();
  if (!isRequest(message)) {
    // [spec 2025-11-25 transports] If the input is a JSON-RPC response or notification: If
    // the server accepts the input, the server MUST return HTTP status code 202 Accepted with
    // no body.
    if (!handle.receive(message)) return overloaded(context, 'unread messages');
    res.writeHead(202, { 'mcp-session-id': handle.session.id }).end();
    return undefined;
  }
  return answer(message, handle, res, context);
}

function initialize(
  request: JsonRpcRequest,
  req: IncomingMessage,
  res: ServerResponse,
  context: ServerContext,
): HttpRefusal | undefined {
  if (req.headers['mcp-session-id'] !== undefined) {
    return refusal(
      400,
      'initialize starts a session and must be sent without MCP-Session-Id; to start over, ' +
        'send it without the header.',
    );
  }
  const releaseSession = context.sessionSlots.tryAcquire();
  if (releaseSession === undefined) return overloaded(context, 'sessions');
  const requested = (request.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  const id = createSessionId();
  // [spec 2025-11-25 transports] A server using the Streamable HTTP transport MAY assign a
  // session ID at initialization time, by including it in an MCP-Session-Id header on the
  // HTTP response containing the InitializeResult.
  const handle = createServerSession(
    id,
    typeof requested === 'string' ? requested : '2025-03-26',
    context.options,
    context.keepAlive,
    () => {
      context.sessions.delete(id);
      releaseSession();
    },
  );
  const refused = answer(request, handle, res, context);
  if (refused !== undefined) {
    handle.end();
    return refused;
  }
  context.sessions.set(id, handle);
  context.newSessions.next(handle.session);
  return undefined;
}

/** Opens the SSE stream or JSON answer of a request, then hands the request on. */
function answer(
  request: JsonRpcRequest,
  handle: SessionHandle,
  res: ServerResponse,
  context: ServerContext,
): HttpRefusal | undefined {
  // [spec 2025-11-25 schema] RequestId: A uniquely identifying ID for a request in JSON-RPC.
  // Responses are routed to their request's stream by id, so a second open request with the
  // same id would take over the first one's route and leave it unanswered: refuse it.
  if (handle.isOpen(request.id)) {
    return refusal(
      400,
      `A request with id ${JSON.stringify(request.id)} is still open in this session; ` +
        'request ids must be unique. Wait for its response, or use a new id.',
      { code: -32600 },
    );
  }
  if (handle.openRequests() >= context.options.maxRequestsPerSession) {
    return overloaded(context, 'unanswered requests in this session');
  }
  const release = context.streamSlots.tryAcquire();
  if (release === undefined) return overloaded(context, 'streams');
  // [spec 2025-11-25 transports] If the input is a JSON-RPC request, the server MUST either
  // return Content-Type: text/event-stream, to initiate an SSE stream, or Content-Type:
  // application/json, to return one JSON object.
  const mode = context.options.responseMode;
  if (mode === 'json') handle.openJsonAnswer(request, res, release);
  else if (mode === 'auto') handle.openAutoAnswer(request, res, release);
  else handle.openRequestStream(request, res, release);
  if (!handle.receive(request)) {
    // Nobody reads this session's messages and its inbox is full.
    handle.session
      .send({
        jsonrpc: '2.0',
        id: request.id,
        error: { code: -32000, message: 'The server is overloaded; try again later.' },
      })
      .subscribe({ error: () => undefined });
  }
  return undefined;
}
