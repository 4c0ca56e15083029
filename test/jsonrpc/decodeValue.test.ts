import { batchAllowedFor, decode, decodeValue, encode } from '../../src/jsonrpc/index.js';
import type { JsonRpcBatch, JsonRpcPayload, JsonRpcDecodeError } from '../../src/jsonrpc/index.js';

const ping = { jsonrpc: '2.0', id: 1, method: 'ping' } as const;
const note = { jsonrpc: '2.0', method: 'notifications/initialized' } as const;

function errorOf(result: ReturnType<typeof decodeValue>): JsonRpcDecodeError {
  if (result.isOk()) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('decodeValue (already-parsed JSON)', () => {
  it('validates a parsed value like decode validates text', () => {
    expect(decodeValue({ ...ping, extra: 1 }).unwrap()).toEqual(ping);
    expect(errorOf(decodeValue({ jsonrpc: '2.0', id: 1, method: 7 })).reason).toBe('bad-method');
  });

  it('returns a fresh object, so later changes to the input do not leak into the message', () => {
    const input = { ...ping, params: { a: 1 } };
    const message = decodeValue(input).unwrap();
    expect(message).not.toBe(input);
    (input as { method: string }).method = 'changed';
    expect(message).toEqual({ ...ping, params: { a: 1 } });
  });

  it('refuses numbers JSON text cannot hold as ids (NaN, Infinity)', () => {
    expect(errorOf(decodeValue({ jsonrpc: '2.0', id: Number.NaN, method: 'a' })).message).toBe(
      'A request\'s "id" must be a string or a number, got number NaN. Omit "id" to send a notification.',
    );
    expect(errorOf(decodeValue({ jsonrpc: '2.0', id: Infinity, result: 1 })).reason).toBe('bad-id');
  });

  it('names values that never come from JSON text in its messages', () => {
    expect(errorOf(decodeValue(undefined)).message).toBe(
      'Expected a JSON-RPC 2.0 message (a JSON object), got nothing.',
    );
    expect(errorOf(decodeValue(10n)).message).toBe(
      'Expected a JSON-RPC 2.0 message (a JSON object), got bigint 10.',
    );
    expect(errorOf(decodeValue(() => 1)).message).toBe(
      'Expected a JSON-RPC 2.0 message (a JSON object), got a function.',
    );
  });

  it('ignores inherited members: only own members count', () => {
    const inherited = Object.create({ jsonrpc: '2.0', method: 'a' }) as object;
    expect(errorOf(decodeValue(inherited)).reason).toBe('bad-version');
  });
});

describe('batches', () => {
  it('are refused by default, naming the revision that had them', () => {
    const error = errorOf(decodeValue([ping, note]));
    expect(error.reason).toBe('batch-refused');
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(
      /^Got a JSON-RPC batch \(an array of 2 elements\), but batches belong to MCP 2025-03-26 only/,
    );
    expect(errorOf(decodeValue([ping], { allowBatch: false })).reason).toBe('batch-refused');
  });

  it('are decoded when allowed, element by element', () => {
    const result = decode(
      `[${encode(ping)},${encode(note)},{"jsonrpc":"2.0","id":1,"result":{},"x":0}]`,
      {
        allowBatch: true,
      },
    );
    expect(result.unwrap()).toEqual([ping, note, { jsonrpc: '2.0', id: 1, result: {} }]);
  });

  it('round-trip through encode', () => {
    const batch: JsonRpcBatch = [ping, note];
    const payload: JsonRpcPayload = decode(encode(batch), { allowBatch: true }).unwrap();
    expect(payload).toEqual(batch);
    expect(encode(payload)).toBe(encode(batch));
  });

  it('fail whole on the first bad element, naming its index and keeping its id', () => {
    const error = errorOf(
      decodeValue([ping, { jsonrpc: '2.0', id: 'b', method: false }, 1], { allowBatch: true }),
    );
    expect(error.reason).toBe('bad-method');
    expect(error.batchIndex).toBe(1);
    expect(error.messageId).toBe('b');
    expect(error.message).toBe('Batch element 1: "method" must be a string, got boolean false.');
  });

  it('do not nest: an array inside a batch is not a message', () => {
    const error = errorOf(decodeValue([[ping]], { allowBatch: true }));
    expect(error.reason).toBe('not-object');
    expect(error.batchIndex).toBe(0);
    expect(error.message).toBe(
      'Batch element 0: Expected a JSON-RPC 2.0 message (a JSON object), got an array of 1 element.',
    );
  });

  it('must not be empty', () => {
    const error = errorOf(decodeValue([], { allowBatch: true }));
    expect(error.reason).toBe('empty-batch');
    expect(error.message).toBe(
      'Got an empty JSON-RPC batch ([]); a batch must hold at least one message.',
    );
  });

  it('still decode single messages when allowed, and say an array was also acceptable', () => {
    expect(decodeValue(ping, { allowBatch: true }).unwrap()).toEqual(ping);
    expect(errorOf(decodeValue('x', { allowBatch: true })).message).toBe(
      'Expected a JSON-RPC 2.0 message (a JSON object or a batch (array)), got string "x".',
    );
  });
});

describe('batchAllowedFor', () => {
  it.each([
    ['2025-03-26', true],
    ['2024-11-05', false],
    ['2025-06-18', false],
    ['2025-11-25', false],
    ['2026-07-28', false],
    ['a future version', false],
    [undefined, false],
  ])('%s -> %s', (version, allowed) => {
    expect(batchAllowedFor(version)).toBe(allowed);
  });

  it('drives decode: a batch from a 2025-03-26 peer is read, from a 2025-06-18 peer refused', () => {
    const text = `[${encode(note)}]`;
    expect(decode(text, { allowBatch: batchAllowedFor('2025-03-26') }).isOk()).toBe(true);
    expect(errorOf(decode(text, { allowBatch: batchAllowedFor('2025-06-18') })).reason).toBe(
      'batch-refused',
    );
  });
});
