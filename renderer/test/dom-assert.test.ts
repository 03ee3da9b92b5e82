import './setup-dom.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertAbsent, assertFocused } from './dom-assert.js';

test('assertFocused and assertAbsent name the elements in one line', () => {
  document.body.innerHTML = '<button id="a">A</button><button id="b" aria-label="Bee">B</button>';
  const [a, b] = [document.getElementById('a')!, document.getElementById('b')!];
  a.focus();
  assertFocused(a);
  assert.throws(() => assertFocused(b, 'after Escape'), { message: /^after Escape: expected focus on <button#b> "Bee", but it is on <button#a> "A"/ });
  assertAbsent(document.querySelector('dialog'));
  assert.throws(() => assertAbsent(document.querySelector('#b'), 'no second button'), { message: /^no second button, found <button#b> "Bee"/ });
});

const COMPARISONS = /\bassert\.(?:equal|strictEqual|notEqual|notStrictEqual|deepEqual|deepStrictEqual|notDeepEqual|notDeepStrictEqual)\(/g;
const QUERY = /(?:\b(?:get|query|find)(?:All)?By\w+|\bquerySelector(?:All)?|\bclosest|\bgetElementById)$/;

/** The call's argument text, from just after its `(` to its matching `)`. */
function argumentsOf(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

function topLevelArguments(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(args.slice(start).trim());
  return out;
}

/** An argument that is a DOM node: document.activeElement, or ends in a call of a DOM query. */
function isElementExpression(arg: string): boolean {
  if (/\bactiveElement$/.test(arg)) return true;
  if (!arg.endsWith(')')) return false;
  let depth = 0;
  for (let i = arg.length - 1; i >= 0; i--) {
    if (arg[i] === ')') depth++;
    else if (arg[i] === '(' && --depth === 0) return QUERY.test(arg.slice(0, i));
  }
  return false;
}

/** Each comparison in `text` that hands node:assert a DOM node, as `line: call`. */
export function elementComparisons(text: string): string[] {
  return [...text.matchAll(COMPARISONS)].flatMap((match) => {
    const open = match.index + match[0].length - 1;
    const args = topLevelArguments(argumentsOf(text, open)).slice(0, 2);
    if (!args.some(isElementExpression)) return [];
    const line = text.slice(0, match.index).split('\n').length;
    return [`${line}: ${match[0]}${args.join(', ')})`];
  });
}

test('no renderer test hands a DOM node to node:assert (use assertFocused / assertAbsent)', () => {
  const dir = import.meta.dirname;
  const found = readdirSync(dir)
    .filter((name) => /\.tsx?$/.test(name) && name !== 'dom-assert.test.ts')
    .flatMap((name) => elementComparisons(readFileSync(join(dir, name), 'utf8')).map((hit) => `${name}:${hit}`));
  assert.deepEqual(found, []);
});

test('the scan finds such comparisons, and leaves comparisons of their properties alone', () => {
  const hits = elementComparisons(`
    assert.equal(document.activeElement, button, 'focus');
    assert.equal(screen.queryByRole('menu', { name: /x/ }), null);
    assert.equal(x, within(panel).getByLabelText('Your code'));
    assert.deepEqual(document.querySelector('.token-failure'), null);
    assert.equal(el.closest('li'), row);
    assert.equal(screen.getAllByRole('button').length, 1);
    assert.equal(link.getAttribute('target'), null);
    assert.equal(screen.getByRole('link').getAttribute('href'), '#token-heading');
    assert.deepEqual(within(list).getAllByRole('listitem').map((li) => li.textContent), ['a']);
  `);
  assert.deepEqual(hits.map((h) => h.split(':')[0]), ['2', '3', '4', '5', '6']);
});
