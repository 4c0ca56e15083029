import type { Subscription } from 'rxjs';
import type { McpProxy } from '../../../src/proxy/createProxyServer';

/** Binds the proxy and keeps it bound (unsubscribing `listen()` would close it). */
export function listening(
  proxy: McpProxy,
): Promise<{ url: string; port: number; subscription: Subscription }> {
  return new Promise((resolve, reject) => {
    const subscription = proxy.listen().subscribe({
      next: ({ url, port }) => resolve({ url, port, subscription }),
      error: reject,
    });
  });
}
