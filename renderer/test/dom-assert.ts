// Assertions about rendered DOM nodes that never hand a node to node:assert. When `assert.equal` fails
// on an element React rendered, Node's AssertionError inspects it with getters on and custom inspectors
// off, so it walks the `__reactFiber$…` keys React puts on every node: the whole component tree, its
// state and the fake bridge's call log, to depth 1000, and then diffs the texts. One such failure held a
// CI test process for minutes past 8 GB, and the file was reported as "failed" with no message. These
// compare identity and name the elements in a line. `dom-assert.test.ts` keeps the tests from going back.
import { AssertionError } from 'node:assert';

/** A short description of an element: tag, id, role and its label or text. */
export function describeElement(element: Element | null | undefined): string {
  if (!element) return 'nothing';
  const tag = element.tagName.toLowerCase();
  const id = element.id ? `#${element.id}` : '';
  const role = element.getAttribute('role');
  const name = element.getAttribute('aria-label') ?? element.textContent?.replace(/\s+/g, ' ').trim().slice(0, 60) ?? '';
  return `<${tag}${id}${role ? ` role=${role}` : ''}> "${name}"`;
}

function fail(message: string, actual: string, expected: string): never {
  throw new AssertionError({ message, actual, expected, operator: 'strictEqual' });
}

/** Throws, naming both elements, unless `expected` has focus. */
export function assertFocused(expected: Element, message = 'focus'): void {
  const actual = document.activeElement;
  if (actual !== expected) fail(`${message}: expected focus on ${describeElement(expected)}, but it is on ${describeElement(actual)}`, describeElement(actual), describeElement(expected));
}

/** Throws, naming what was found, unless the query found nothing. */
export function assertAbsent(found: Element | null, message = 'expected no such element'): void {
  if (found !== null) fail(`${message}, found ${describeElement(found)}`, describeElement(found), 'nothing');
}
