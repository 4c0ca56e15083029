import { RxMcpError } from '../../src/errors.js';
import { JsonRpcDecodeError, JsonRpcErrorCode, decode, encode } from '../../src/jsonrpc/index.js';
import type { JsonRpcDecodeFailure, JsonRpcMessage } from '../../src/jsonrpc/index.js';

/** Decodes `text`, expects a failure and returns its error. */
function failure(text: string): JsonRpcDecodeError {
  const result = decode(text);
  if (result.isOk())
    throw new Error(`expected ${text} to be refused, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('decode: every failure says exactly what is wrong', () => {
  const cases: ReadonlyArray<[string, string, JsonRpcDecodeFailure, string]> = [
    [
      'a number',
      '42',
      'not-object',
      'Expected a JSON-RPC 2.0 message (a JSON object), got number 42.',
    ],
    ['null', 'null', 'not-object', 'Expected a JSON-RPC 2.0 message (a JSON object), got null.'],
    [
      'a string',
      '"hi"',
      'not-object',
      'Expected a JSON-RPC 2.0 message (a JSON object), got string "hi".',
    ],
    [
      'a boolean',
      'true',
      'not-object',
      'Expected a JSON-RPC 2.0 message (a JSON object), got boolean true.',
    ],
    [
      'no jsonrpc',
      '{"id":1,"method":"ping"}',
      'bad-version',
      'The "jsonrpc" member is missing; JSON-RPC 2.0 messages carry "jsonrpc": "2.0".',
    ],
    [
      'jsonrpc "1.0"',
      '{"jsonrpc":"1.0","id":1,"method":"ping"}',
      'bad-version',
      '"jsonrpc" must be "2.0", got string "1.0".',
    ],
    [
      'jsonrpc 2 (a number)',
      '{"jsonrpc":2,"id":1,"method":"ping"}',
      'bad-version',
      '"jsonrpc" must be "2.0", got number 2.',
    ],
    [
      'a request id null',
      '{"jsonrpc":"2.0","id":null,"method":"ping"}',
      'bad-id',
      'A request\'s "id" must be a string or a number, got null. Omit "id" to send a notification.',
    ],
    [
      'a request id boolean',
      '{"jsonrpc":"2.0","id":true,"method":"ping"}',
      'bad-id',
      'A request\'s "id" must be a string or a number, got boolean true. Omit "id" to send a notification.',
    ],
    [
      'a request id object',
      '{"jsonrpc":"2.0","id":{"n":1},"method":"ping"}',
      'bad-id',
      'A request\'s "id" must be a string or a number, got an object. Omit "id" to send a notification.',
    ],
    [
      'a request id array',
      '{"jsonrpc":"2.0","id":[1],"method":"ping"}',
      'bad-id',
      'A request\'s "id" must be a string or a number, got an array of 1 element. Omit "id" to send a notification.',
    ],
    [
      'method a number',
      '{"jsonrpc":"2.0","id":1,"method":5}',
      'bad-method',
      '"method" must be a string, got number 5.',
    ],
    [
      'method null',
      '{"jsonrpc":"2.0","method":null}',
      'bad-method',
      '"method" must be a string, got null.',
    ],
    [
      'params a string',
      '{"jsonrpc":"2.0","id":1,"method":"a","params":"x"}',
      'bad-params',
      '"params" must be an object or an array when present, got string "x".',
    ],
    [
      'params null',
      '{"jsonrpc":"2.0","method":"a","params":null}',
      'bad-params',
      '"params" must be an object or an array when present, got null.',
    ],
    [
      'method and result',
      '{"jsonrpc":"2.0","id":1,"method":"a","result":{}}',
      'request-and-response',
      'A message with "method" is a request or notification and cannot also carry "result".',
    ],
    [
      'method and error',
      '{"jsonrpc":"2.0","id":1,"method":"a","error":{"code":1,"message":"m"}}',
      'request-and-response',
      'A message with "method" is a request or notification and cannot also carry "error".',
    ],
    [
      'both result and error',
      '{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}',
      'result-and-error',
      'A response must carry either "result" or "error", not both.',
    ],
    [
      'neither method, result nor error',
      '{"jsonrpc":"2.0","id":1}',
      'not-a-message',
      'Not a JSON-RPC message: it has no "method" (request or notification), "result" or "error" (response).',
    ],
    [
      'a result without id',
      '{"jsonrpc":"2.0","result":{}}',
      'bad-id',
      'A success response must carry the "id" (a string or a number) of the request it answers, got nothing.',
    ],
    [
      'a result with id null',
      '{"jsonrpc":"2.0","id":null,"result":{}}',
      'bad-id',
      'A success response must carry the "id" (a string or a number) of the request it answers, got null.',
    ],
    [
      'an error response with a boolean id',
      '{"jsonrpc":"2.0","id":false,"error":{"code":1,"message":"m"}}',
      'bad-id',
      'An error response\'s "id" must be a string, a number, null or absent, got boolean false.',
    ],
    [
      'an error that is a string',
      '{"jsonrpc":"2.0","id":1,"error":"boom"}',
      'bad-error',
      '"error" must be an object with an integer "code" and a string "message", got string "boom".',
    ],
    [
      'an error that is an array',
      '{"jsonrpc":"2.0","id":1,"error":[]}',
      'bad-error',
      '"error" must be an object with an integer "code" and a string "message", got an array of 0 elements.',
    ],
    [
      'an error code that is a string',
      '{"jsonrpc":"2.0","id":1,"error":{"code":"E1","message":"m"}}',
      'bad-error',
      '"error.code" must be an integer, got string "E1".',
    ],
    [
      'an error code with a fraction',
      '{"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}}',
      'bad-error',
      '"error.code" must be an integer, got number 1.5.',
    ],
    [
      'an error without message',
      '{"jsonrpc":"2.0","id":1,"error":{"code":-32000}}',
      'bad-error',
      '"error.message" must be a string, got nothing.',
    ],
    [
      'an empty batch, even where batches are refused',
      '[]',
      'batch-refused',
      'Got a JSON-RPC batch (an array of 0 elements), but batches belong to MCP 2025-03-26 only ' +
        '(they were removed in 2025-06-18). Send one message per JSON text, or decode with ' +
        '{ allowBatch: batchAllowedFor(protocolVersion) } when the peer speaks 2025-03-26.',
    ],
  ];

  it.each(cases)('refuses %s', (_name, text, reason, message) => {
    const error = failure(text);
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(message);
    expect(error.kind).toBe('protocol');
    expect(error.retryable).toBe(false);
    expect(error.responseCode).toBe(JsonRpcErrorCode.InvalidRequest);
  });

  it('reports text that is not JSON as a parse error with the parser position and the input start', () => {
    const error = failure('{"jsonrpc":"2.0",}');
    expect(error).toBeInstanceOf(JsonRpcDecodeError);
    expect(error).toBeInstanceOf(RxMcpError);
    expect(RxMcpError.is(error)).toBe(true);
    expect(error.name).toBe('JsonRpcDecodeError');
    expect(error.reason).toBe('not-json');
    expect(error.kind).toBe('parse');
    expect(error.responseCode).toBe(JsonRpcErrorCode.ParseError);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.message).toMatch(
      /^Not JSON: .*position 17.* \(input of 18 characters starting "\{\\"jsonrpc\\":\\"2\.0\\",\}"\)\. /,
    );
    expect(error.message).toContain(
      'Each message must be one JSON-RPC 2.0 object encoded as UTF-8 JSON.',
    );
  });

  it('cuts the quoted input at 40 characters, so a huge bad line never ends up in a message', () => {
    const text = `oops ${'x'.repeat(1_000_000)}`;
    const error = failure(text);
    expect(error.message).toContain(
      `input of ${text.length} characters starting "oops ${'x'.repeat(35)}"…`,
    );
    expect(error.message.length).toBeLessThan(300);
  });

  it('reports empty text as not JSON', () => {
    expect(failure('').message).toMatch(
      /^Not JSON: Unexpected end of JSON input \(input of 0 characters starting ""\)/,
    );
  });

  it('keeps the id of an invalid message that has a readable one, so it can be answered', () => {
    expect(failure('{"jsonrpc":"2.0","id":"r-7","method":5}').messageId).toBe('r-7');
    expect(failure('{"jsonrpc":"1.0","id":3,"method":"a"}').messageId).toBe(3);
    expect(failure('{"jsonrpc":"2.0","id":null,"method":"a"}').messageId).toBeUndefined();
    expect('messageId' in failure('{"jsonrpc":"2.0"}')).toBe(false);
  });

  it('sets no batchIndex for a single message', () => {
    expect('batchIndex' in failure('1')).toBe(false);
  });
});

describe('decode: accepted messages', () => {
  it('decodes a request, keeping a string or number id and object or array params', () => {
    expect(
      decode('{"jsonrpc":"2.0","id":"a","method":"tools/list","params":{"cursor":"c"}}').unwrap(),
    ).toEqual({
      jsonrpc: '2.0',
      id: 'a',
      method: 'tools/list',
      params: { cursor: 'c' },
    });
    expect(decode('{"jsonrpc":"2.0","id":0,"method":"sum","params":[1,2]}').unwrap()).toEqual({
      jsonrpc: '2.0',
      id: 0,
      method: 'sum',
      params: [1, 2],
    });
    // [JSON-RPC 2.0] fractional ids are a SHOULD NOT for senders; receivers still accept them.
    expect(decode('{"jsonrpc":"2.0","id":1.5,"method":"a"}').unwrap()).toEqual({
      jsonrpc: '2.0',
      id: 1.5,
      method: 'a',
    });
  });

  it('decodes a notification (no id) and a request with an empty string id', () => {
    expect(decode('{"jsonrpc":"2.0","method":"notifications/initialized"}').unwrap()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/initialized',
    });
    expect(decode('{"jsonrpc":"2.0","id":"","method":"a"}').unwrap()).toEqual({
      jsonrpc: '2.0',
      id: '',
      method: 'a',
    });
  });

  it('decodes success responses with any JSON result, null included', () => {
    expect(decode('{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}').unwrap()).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { tools: [] },
    });
    const withNull = decode('{"jsonrpc":"2.0","id":1,"result":null}').unwrap();
    expect(withNull).toEqual({ jsonrpc: '2.0', id: 1, result: null });
    expect('result' in withNull).toBe(true);
  });

  it('decodes an error response with or without data', () => {
    expect(
      decode(
        '{"jsonrpc":"2.0","id":9,"error":{"code":-32601,"message":"no","data":{"m":"x"}}}',
      ).unwrap(),
    ).toEqual({
      jsonrpc: '2.0',
      id: 9,
      error: { code: -32601, message: 'no', data: { m: 'x' } },
    });
    const withoutData = decode(
      '{"jsonrpc":"2.0","id":9,"error":{"code":-32601,"message":"no"}}',
    ).unwrap();
    expect(withoutData).toEqual({ jsonrpc: '2.0', id: 9, error: { code: -32601, message: 'no' } });
    expect('data' in (withoutData as { error: object }).error).toBe(false);
  });

  it('reads an error response id of null (JSON-RPC 2.0) or absent (MCP 2025-11-25) as no id', () => {
    for (const text of [
      '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}',
      '{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"}}',
    ]) {
      const message = decode(text).unwrap();
      expect(message).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } });
      expect('id' in message).toBe(false);
    }
  });

  it('drops members JSON-RPC does not define', () => {
    expect(decode('{"jsonrpc":"2.0","id":1,"method":"a","extra":true}').unwrap()).toEqual({
      jsonrpc: '2.0',
      id: 1,
      method: 'a',
    });
  });

  it('tolerates surrounding whitespace, a trailing newline included', () => {
    expect(decode(' {"jsonrpc":"2.0","method":"a"}\r\n').isOk()).toBe(true);
  });
});

describe('decode and encode round trips', () => {
  const messages: JsonRpcMessage[] = [
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {} },
    },
    { jsonrpc: '2.0', id: 'x', method: 'sum', params: [1, 2, 3] },
    { jsonrpc: '2.0', id: 2, method: 'ping' },
    {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 't', progress: 0.5 },
    },
    {
      jsonrpc: '2.0',
      id: 1,
      result: { content: [{ type: 'text', text: 'line 1\nline 2 — ✓ 😀' }] },
    },
    {
      jsonrpc: '2.0',
      id: 'e',
      error: { code: JsonRpcErrorCode.InvalidParams, message: 'bad', data: [1] },
    },
    { jsonrpc: '2.0', error: { code: JsonRpcErrorCode.ParseError, message: 'Parse error' } },
  ];

  it.each(messages.map((message) => [encode(message), message] as const))('%s', (text, message) => {
    expect(text).not.toContain('\n');
    expect(decode(text).unwrap()).toEqual(message);
    expect(encode(decode(text).unwrap())).toBe(text);
  });
});
