import { TestComponentRenderer } from '@angular/core/testing';
import type { Provider } from '@angular/core';

/**
 * For TestBed in Jest's `node` environment, where service tests get Node's own `fetch`:
 * there is no document to put component roots in, and these tests render none.
 */
export function provideNoDom(): Provider {
  return {
    provide: TestComponentRenderer,
    useValue: { insertRootElement: () => undefined, removeAllRootElements: () => undefined },
  };
}
