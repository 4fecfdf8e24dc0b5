import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillTemplate, matchTemplate, templatePlaceholders } from './templates';

// Template literal text drawn from characters values never use, so the split is unique.
const literal = fc.string({ unit: fc.constantFrom(' ', ',', '.', '!', '(', ')', '*', '+', '?', '$', '^', '[', ']', '\\', '|', '{', '}', 'é', '😀'), maxLength: 8 })
  // a literal must not form a placeholder with its neighbours
  .filter((s) => !s.includes('{') && !s.includes('}'));
const value = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '7', '-', '_', 'ß', '🎉'), minLength: 1, maxLength: 30 });

/** A template using {{1}}…{{k}} in any order, some repeated, with literal text between them. */
const template = fc.integer({ min: 0, max: 5 }).chain((k) =>
  fc.tuple(
    fc.shuffledSubarray(Array.from({ length: k }, (_, i) => i + 1), { minLength: k, maxLength: k }),
    fc.array(fc.integer({ min: 1, max: Math.max(1, k) }), { maxLength: k ? 3 : 0 }),
    fc.array(literal, { minLength: 2 * k + 8, maxLength: 2 * k + 8 }),
    fc.array(value, { minLength: k, maxLength: k }),
  ).map(([order, repeats, lits, values]) => {
    const slots = [...order, ...repeats];
    // neighbouring placeholders get a separator so the split stays unique
    const body = slots.map((n, i) => `${lits[i] ?? ''}${i > 0 ? ' ' : ''}{{${n}}}`).join('') + (lits[slots.length] ?? '');
    return { body, values };
  }),
);

describe('matchTemplate', () => {
  it('gives back the values that filled the template (property)', () => {
    fc.assert(
      fc.property(template, ({ body, values }) => {
        expect(matchTemplate(body, fillTemplate(body, values))).toEqual(values);
      }),
    );
  });

  it('any match fills the template back into the text, even when the split is ambiguous (property)', () => {
    const loose = fc.string({ unit: fc.constantFrom('a', ' ', ','), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(loose, { minLength: 3, maxLength: 3 }), (vs) => {
        const body = 'Hi {{1}} {{2}}, {{3}}';
        const text = fillTemplate(body, vs);
        const got = matchTemplate(body, text);
        if (got) expect(fillTemplate(body, got)).toBe(text);
        if (vs.every((v) => v.trim())) expect(got).not.toBeNull();
      }),
    );
  });

  it('reads the demo templates', () => {
    expect(matchTemplate('Hi {{1}}, there is an update on your order {{2}}. Reply for details.', 'Hi Ann, there is an update on your order #42. Reply for details.')).toEqual(['Ann', '#42']);
  });

  it('handles placeholders out of order and repeated', () => {
    expect(matchTemplate('{{2}} before {{1}}', 'B before A')).toEqual(['A', 'B']);
    expect(matchTemplate('Hi {{1}}! Bye {{1}}.', 'Hi Ann! Bye Ann.')).toEqual(['Ann']);
    expect(matchTemplate('Hi {{1}}! Bye {{1}}.', 'Hi Ann! Bye Bob.')).toBeNull();
  });

  it('treats regex metacharacters in the template as text', () => {
    expect(matchTemplate('Cost (approx.) $5+ for {{1}}? [y/n] a|b \\d*', 'Cost (approx.) $5+ for Ann? [y/n] a|b \\d*')).toEqual(['Ann']);
    expect(matchTemplate('Cost (approx.) $5+ for {{1}}?', 'Cost Xapprox.) $5+ for Ann?')).toBeNull();
    expect(matchTemplate('a.c {{1}}', 'abc x')).toBeNull();
  });

  it('needs a template without placeholders to be sent as it is', () => {
    expect(matchTemplate('Hello from Parley', 'Hello from Parley')).toEqual([]);
    expect(matchTemplate('Hello from Parley', 'Hello from Parley!')).toBeNull();
  });

  it('refuses blanks left empty, unfilled, multi-line or too long', () => {
    const body = 'Hi {{1}}, order {{2}}.';
    expect(matchTemplate(body, 'Hi , order 7.')).toBeNull();
    expect(matchTemplate(body, 'Hi   , order 7.')).toBeNull();
    expect(matchTemplate(body, body)).toBeNull();
    expect(matchTemplate(body, 'Hi A\nB, order 7.')).toBeNull();
    expect(matchTemplate(body, `Hi ${'x'.repeat(201)}, order 7.`)).toBeNull();
    expect(matchTemplate(body, `Hi ${'x'.repeat(200)}, order 7.`)).toEqual(['x'.repeat(200), '7']);
    expect(matchTemplate(body, 'Hi Ann, order 7. PS')).toBeNull();
    expect(matchTemplate(body, 'Hey Ann, order 7.')).toBeNull();
  });

  it('gives up quickly on long texts that almost match', () => {
    // a backtracking regex takes minutes here; the vitest timeout would fail this test
    expect(matchTemplate('{{1}} {{2}} {{3}} {{4}} {{5}}!', 'a '.repeat(2000))).toBeNull();
  });

  it('gives a number the template skips an empty value', () => {
    expect(matchTemplate('{{1}} and {{3}}', 'x and y')).toEqual(['x', '', 'y']);
    expect(templatePlaceholders('{{3}} {{1}} {{3}}')).toEqual([1, 3]);
  });
});

describe('fillTemplate', () => {
  it('replaces every occurrence and leaves placeholders without a value', () => {
    expect(fillTemplate('{{1}} {{2}} {{1}}', ['a'])).toBe('a {{2}} a');
  });
});
