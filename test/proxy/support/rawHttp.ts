import { readdirSync, readFileSync } from 'node:fs';
import type { JsonRpcMessage } from '../../../src/jsonrpc/types';

/** POSTs one message; resolves with the JSON-RPC messages of the SSE (or JSON) answer. */
export async function post(
  url: string,
  message: JsonRpcMessage,
  session?: string,
  signal?: AbortSignal,
): Promise<{ session?: string; messages: JsonRpcMessage[]; status: number }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(session === undefined ? {} : { 'mcp-session-id': session }),
    },
    body: JSON.stringify(message),
    ...(signal === undefined ? {} : { signal }),
  });
  const text = await res.text();
  const messages = res.headers.get('content-type')?.includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data: ') && line.length > 6)
        .map((line) => JSON.parse(line.slice(6)) as JsonRpcMessage)
    : text === ''
      ? []
      : [JSON.parse(text) as JsonRpcMessage];
  const id = res.headers.get('mcp-session-id');
  return { status: res.status, messages, ...(id === null ? {} : { session: id }) };
}

/** Initializes a session (initialize + initialized); resolves with its id. */
export async function initialize(url: string): Promise<string> {
  const { session } = await post(url, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'raw', version: '0' },
    },
  });
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
  return session!;
}

/** Pids of live processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (cmdline.includes(marker) && !/^State:\s+Z/m.test(status)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
