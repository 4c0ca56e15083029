import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { McpService } from './mcp';
import type { ToolCallEvent } from './mcp';

/** Lists the server's tools and runs one, showing the connection state and the progress. */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>rxmcp in Angular</h1>
    @let state = mcp.state();
    <p class="state" [attr.data-state]="state.type">
      @switch (state.type) {
        @case ('open') {
          Connected to {{ state.serverInfo.name }} {{ state.serverInfo.version }}
        }
        @case ('reconnecting') {
          Reconnecting in {{ state.delayMs }} ms (attempt {{ state.attempt }}):
          {{ state.reason.message }}
        }
        @case ('failed') {
          Could not connect: {{ state.error.message }}
          <button type="button" (click)="mcp.reconnect()">Try again</button>
        }
        @default {
          {{ state.type }}…
        }
      }
    </p>

    @let tools = mcp.tools();
    @if (tools.status === 'error') {
      <p class="error">Tools unavailable: {{ tools.error.message }}</p>
    }
    <ul class="tools">
      @for (tool of tools.tools; track tool.name) {
        <li>
          <button type="button" (click)="run(tool.name)" [disabled]="running()">
            {{ tool.title ?? tool.name }}
          </button>
          {{ tool.description }}
        </li>
      } @empty {
        @if (tools.status === 'loading') {
          <li>Loading tools…</li>
        }
      }
    </ul>

    @if (call(); as event) {
      <section class="call">
        @switch (event.type) {
          @case ('progress') {
            <progress [value]="event.progress" [max]="event.total ?? 100"></progress>
            {{ event.progress }} / {{ event.total ?? '?' }} {{ event.message }}
          }
          @case ('result') {
            <pre>{{ textOf(event) }}</pre>
          }
          @case ('error') {
            <p class="error">{{ event.error.message }}</p>
          }
        }
      </section>
    }
  `,
})
export class AppComponent {
  private readonly service = inject(McpService);
  private readonly destroyRef = inject(DestroyRef);

  /** The service's streams as signals; they emit at once, so no initial value is needed. */
  protected readonly mcp = {
    state: toSignal(this.service.state$, { requireSync: true }),
    tools: toSignal(this.service.tools$, { requireSync: true }),
    reconnect: () => this.service.reconnect(),
  };
  protected readonly call = signal<ToolCallEvent | undefined>(undefined);
  protected readonly running = signal(false);

  /** Runs a tool; leaving the page cancels the call on the server. */
  run(name: string): void {
    const args = name === 'countdown' ? { from: 5, intervalMs: 300 } : { text: 'hello' };
    this.running.set(true);
    this.service
      .callTool(name, args)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (event) => this.call.set(event),
        complete: () => this.running.set(false),
      });
  }

  protected textOf(event: Extract<ToolCallEvent, { type: 'result' }>): string {
    return event.result.content
      .map((block) => (block.type === 'text' ? block.text : `[${block.type}]`))
      .join('\n');
  }
}
