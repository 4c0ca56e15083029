// [spec 2025-11-25 transports] If present, the ID MUST be globally unique across all streams
// within that session ... Event IDs SHOULD encode sufficient information to identify the
// originating stream, enabling the server to correlate a Last-Event-ID to the correct stream.

/** Where an SSE event id points: the stream it was sent on and its position in the session. */
export interface EventCursor {
  readonly streamId: string;
  readonly seq: number;
}

/**
 * The SSE `id:` of an event: `<streamId>_<seq>`. The seq is unique in the session (one
 * counter for all its streams), so the id is too, and the stream part lets a `Last-Event-ID`
 * name the stream to resume.
 */
export function formatEventId(streamId: string, seq: number): string {
  return `${streamId}_${seq}`;
}

/** Reads a `Last-Event-ID` written by {@link formatEventId}; `undefined` when it is not one. */
export function parseEventId(eventId: string): EventCursor | undefined {
  const match = /^([A-Za-z0-9]{1,32})_(\d{1,15})$/.exec(eventId);
  if (match === null) return undefined;
  return { streamId: match[1] as string, seq: Number(match[2]) };
}
