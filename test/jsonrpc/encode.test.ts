import { JSONRPC_VERSION, JsonRpcErrorCode, encode, encodeLine } from '../../src/jsonrpc/index.js';

describe('encode', () => {
  it('writes compact JSON without a trailing newline', () => {
    expect(encode({ jsonrpc: JSONRPC_VERSION, id: 1, method: 'ping' })).toBe(
      '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    );
  });

  it('escapes newlines inside strings, so a message is always one line', () => {
    const text = encode({ jsonrpc: '2.0', method: 'log', params: { text: 'a\nb\r\nc\u2028d' } });
    expect(text).not.toMatch(/[\n\r]/);
    expect(JSON.parse(text)).toEqual({
      jsonrpc: '2.0',
      method: 'log',
      params: { text: 'a\nb\r\nc\u2028d' },
    });
  });

  it('writes an error response without id when there is none (MCP 2025-11-25), never "id": null', () => {
    expect(
      encode({
        jsonrpc: '2.0',
        error: { code: JsonRpcErrorCode.ParseError, message: 'Parse error' },
      }),
    ).toBe('{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"}}');
  });

  it('throws for values JSON cannot represent: a caller bug, not bad input', () => {
    expect(() => encode({ jsonrpc: '2.0', id: 1, result: 1n })).toThrow(TypeError);
  });
});

describe('encodeLine', () => {
  it('is encode plus one "\\n"', () => {
    const message = { jsonrpc: '2.0', method: 'notifications/initialized' } as const;
    expect(encodeLine(message)).toBe(`${encode(message)}\n`);
  });
});

describe('JsonRpcErrorCode', () => {
  it('holds the standard JSON-RPC 2.0 codes', () => {
    expect(JsonRpcErrorCode).toEqual({
      ParseError: -32700,
      InvalidRequest: -32600,
      MethodNotFound: -32601,
      InvalidParams: -32602,
      InternalError: -32603,
    });
  });
});
