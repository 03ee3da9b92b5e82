// A jsdom window as the global environment for React component tests under node:test. Imported first
// by every renderer test (ES modules evaluate imports in order, so React sees `document` at load).
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/', pretendToBeVisual: true });
const g = globalThis as Record<string, unknown>;
g.window = dom.window;
// Copy the window's own globals (document, HTMLElement, Node, KeyboardEvent, …) that Node lacks.
for (const key of Object.getOwnPropertyNames(dom.window)) {
  if (key in globalThis) continue;
  Object.defineProperty(globalThis, key, { configurable: true, get: () => (dom.window as unknown as Record<string, unknown>)[key] });
}
if (!('navigator' in globalThis) || (globalThis as { navigator?: unknown }).navigator === undefined) {
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: dom.window.navigator });
}
// Tells React that tests wrap updates in act(), so it warns about any that are not.
g.IS_REACT_ACT_ENVIRONMENT = true;
