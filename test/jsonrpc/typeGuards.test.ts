import {
  decode,
  isErrorResponse,
  isNotification,
  isRequest,
  isResponse,
  isSuccessResponse,
} from '../../src/jsonrpc/index.js';
import type { JsonRpcMessage } from '../../src/jsonrpc/index.js';

const samples: Record<string, JsonRpcMessage> = {
  request: { jsonrpc: '2.0', id: 0, method: 'ping' },
  notification: { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 0 } },
  success: { jsonrpc: '2.0', id: 0, result: null },
  error: { jsonrpc: '2.0', id: 'a', error: { code: -32601, message: 'Method not found' } },
  errorWithoutId: { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } },
};

describe('type guards', () => {
  it.each([
    ['request', [true, false, false, false, false]],
    ['notification', [false, true, false, false, false]],
    ['success', [false, false, true, true, false]],
    ['error', [false, false, true, false, true]],
    ['errorWithoutId', [false, false, true, false, true]],
  ] as const)('classify a %s', (name, expected) => {
    const message = samples[name] as JsonRpcMessage;
    expect([
      isRequest(message),
      isNotification(message),
      isResponse(message),
      isSuccessResponse(message),
      isErrorResponse(message),
    ]).toEqual(expected);
  });

  it('treat an explicit undefined id as no id (a notification)', () => {
    const message = { jsonrpc: '2.0', method: 'a', id: undefined } as unknown as JsonRpcMessage;
    expect(isRequest(message)).toBe(false);
    expect(isNotification(message)).toBe(true);
  });

  it('narrow decoded messages so their members can be read', () => {
    const message = decode(
      '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"x"}}',
    ).unwrap();
    if (!isRequest(message)) throw new Error('expected a request');
    const id: string | number = message.id;
    const method: string = message.method;
    expect([id, method]).toEqual([5, 'tools/call']);
  });
});
