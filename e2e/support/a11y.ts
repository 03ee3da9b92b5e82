// Accessibility checks for the browser e2e: axe-core run inside the page (evaluated through the
// DevTools protocol, which the renderer's CSP does not apply to, so no script tag is injected), where
// focus is (role and accessible name of document.activeElement), and moving by keyboard alone.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

let axeSource: Promise<string> | undefined;
const source = () => (axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe's violations on the page as it is now (WCAG 2.x A and AA plus best practices). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(await source());
  // A string, not a function: this file compiles without the DOM library.
  return page.evaluate(`(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  })()`);
}

/** axe in the light and the dark colour scheme; returns every violation, labelled with the scheme. */
export async function axeBothSchemes(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const v of await axeViolations(page)) found.push(`${colorScheme}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(', ')}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

export interface Focused {
  tag: string;
  role: string | null;
  id: string;
  /** aria-label, else the labelling element's text, else its own text (trimmed, spaces collapsed). */
  name: string;
}

export async function focused(page: Page): Promise<Focused> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', role: null, id: '', name: '' };
    const labelledBy = el.getAttribute('aria-labelledby');
    const labels = el.labels;
    const name =
      el.getAttribute('aria-label') ??
      (labelledBy ? labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : null) ??
      (labels && labels.length > 0 ? labels[0].textContent : null) ??
      el.textContent ??
      '';
    return { tag: el.tagName.toLowerCase(), role: el.getAttribute('role'), id: el.id, name: name.replace(/\\s+/g, ' ').trim() };
  })()`);
}

/** Press Tab (or Shift+Tab) until the focused element's name matches; fails after `max` presses. */
export async function tabTo(page: Page, name: RegExp, options: { backwards?: boolean; max?: number } = {}): Promise<Focused> {
  const max = options.max ?? 80;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (name.test(now.name)) return now;
  }
  throw new Error(`Tab never reached an element named ${name} (${max} presses)`);
}

/** Waits (bounded) until the focused element's name matches, and returns it. */
export async function waitForFocus(page: Page, name: RegExp, timeoutMs = 20_000): Promise<Focused> {
  const deadline = Date.now() + timeoutMs;
  let now = await focused(page);
  while (!name.test(now.name)) {
    if (Date.now() > deadline) throw new Error(`focus is on ${JSON.stringify(now)}, expected a name matching ${name}`);
    await new Promise((r) => setTimeout(r, 100));
    now = await focused(page);
  }
  return now;
}
