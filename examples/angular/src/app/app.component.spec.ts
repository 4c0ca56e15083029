/**
 * The component, rendered in jsdom, on the real McpService whose transport is a scripted MCP
 * server (see `scriptedTransport`): the tool list, the connection state, a call's progress
 * and result, and a failure shown as text with a way to try again.
 */
import { TestBed } from '@angular/core/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { filter, firstValueFrom } from 'rxjs';
import { RxMcpError } from 'rxmcp';
import type { Tool } from 'rxmcp';
import { scriptedTransport } from '../testing/scripted-transport';
import type { Script } from '../testing/scripted-transport';
import { AppComponent } from './app.component';
import { MCP_TRANSPORT, McpService, provideMcp } from './mcp';

const tools: Tool[] = [
  { name: 'echo', description: 'Says it back.', inputSchema: { type: 'object' } },
  { name: 'countdown', title: 'Count down', inputSchema: { type: 'object' } },
];

async function render(scripts: Script[]): Promise<ComponentFixture<AppComponent>> {
  let attempts = 0;
  TestBed.configureTestingModule({
    imports: [AppComponent],
    providers: [
      provideMcp({
        url: 'http://mcp.invalid/mcp',
        clientInfo: { name: 'test', version: '0' },
        retry: { maxRetries: 0 },
      }),
      { provide: MCP_TRANSPORT, useValue: () => scriptedTransport(scripts[attempts++]) },
    ],
  });
  const fixture = TestBed.createComponent(AppComponent);
  await fixture.whenStable();
  return fixture;
}

const text = (fixture: ComponentFixture<AppComponent>, selector: string): string =>
  (fixture.nativeElement as HTMLElement).querySelector(selector)?.textContent?.trim() ?? '';

afterEach(() => TestBed.resetTestingModule());

describe('AppComponent', () => {
  it('shows the connection state and lists the tools', async () => {
    const fixture = await render([{ tools }]);
    await firstValueFrom(
      TestBed.inject(McpService).tools$.pipe(filter((t) => t.status === 'ready')),
    );
    await fixture.whenStable();

    expect(text(fixture, '.state')).toBe('Connected to scripted 1.0.0');
    const items = [...(fixture.nativeElement as HTMLElement).querySelectorAll('.tools li')];
    expect(items.map((item) => item.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'echo Says it back.',
      'Count down',
    ]);
  });

  it('calls a tool and shows its result', async () => {
    const fixture = await render([{ tools }]);
    const service = TestBed.inject(McpService);
    await firstValueFrom(service.tools$.pipe(filter((t) => t.status === 'ready')));
    await fixture.whenStable();

    const echo = (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>(
      '.tools button',
    )!;
    echo.click();
    await fixture.whenStable();
    expect(text(fixture, '.call pre')).toBe('{"text":"hello"}');
    expect(echo.disabled).toBe(false);
  });

  it('shows a failure as text, and tries again on request', async () => {
    const refused = new RxMcpError('network', 'Connection refused.');
    const fixture = await render([{ refuse: refused }, { tools }]);
    const service = TestBed.inject(McpService);
    await firstValueFrom(service.state$.pipe(filter((state) => state.type === 'failed')));
    await fixture.whenStable();
    expect(text(fixture, '.state')).toMatch(/^Could not connect: Connection refused\./);
    expect(text(fixture, '.error')).toBe('Tools unavailable: Connection refused.');

    (fixture.nativeElement as HTMLElement)
      .querySelector<HTMLButtonElement>('.state button')!
      .click();
    await firstValueFrom(service.tools$.pipe(filter((t) => t.status === 'ready')));
    await fixture.whenStable();
    expect(text(fixture, '.state')).toBe('Connected to scripted 1.0.0');
    expect((fixture.nativeElement as HTMLElement).querySelectorAll('.tools li')).toHaveLength(2);
  });
});
