import { provideZonelessChangeDetection } from '@angular/core';
import type { ApplicationConfig } from '@angular/core';
import { provideMcp } from './mcp';

/** The MCP server this app talks to: `npm start` at the repository's root serves the demo. */
export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideMcp({
      url: new URL('/mcp', globalThis.location?.href ?? 'http://127.0.0.1:8787').href,
      clientInfo: { name: 'rxmcp-angular-example', version: '1.0.0' },
      retry: { initialDelayMs: 500, maxDelayMs: 5000, maxRetries: 20 },
    }),
  ],
};
