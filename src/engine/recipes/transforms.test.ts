import { describe, expect, it } from 'vitest';
import { applyTransform, applyTransforms, isMissing, splitName, transformName } from './transforms.js';
import type { Transform } from './types.js';

const ok = (value: unknown) => ({ ok: true, value });

describe('text transforms', () => {
  it('trims and changes case, converting numbers and booleans to text', () => {
    expect(applyTransform('  Ada ', 'trim')).toEqual(ok('Ada'));
    expect(applyTransform('Ada', 'lowercase')).toEqual(ok('ada'));
    expect(applyTransform('Ada', 'uppercase')).toEqual(ok('ADA'));
    expect(applyTransform(42, 'string')).toEqual(ok('42'));
    expect(applyTransform(true, 'uppercase')).toEqual(ok('TRUE'));
  });

  it('refuses objects where text is expected', () => {
    expect(applyTransform({ a: 1 }, 'trim')).toEqual({ ok: false, message: 'expected text, got an object' });
  });

  it('trims, lower-cases and checks emails', () => {
    expect(applyTransform('  Ada.Lovelace@Example.COM ', 'email')).toEqual(ok('ada.lovelace@example.com'));
    for (const bad of ['ada', 'ada@', '@x.io', 'a b@x.io', 'ada@x', 'Ada <ada@x.io>']) {
      expect(applyTransform(bad, 'email')).toEqual({ ok: false, message: `invalid email ${JSON.stringify(bad)}` });
    }
  });
});

describe('name transforms', () => {
  it.each([
    ['Ada Lovelace', 'Ada', 'Lovelace'],
    ['  Ada   King  Lovelace ', 'Ada', 'King Lovelace'],
    ['Lovelace, Ada', 'Ada', 'Lovelace'],
    ['Ada', 'Ada', undefined],
    ['Lovelace,', undefined, 'Lovelace'],
  ])('splits %j', (full, first, last) => {
    expect(splitName(full)).toEqual({ firstName: first, lastName: last });
    expect(applyTransform(full, 'firstName')).toEqual(ok(first));
    expect(applyTransform(full, 'lastName')).toEqual(ok(last));
  });
});

describe('number and boolean', () => {
  it('parses numbers from text and refuses the rest', () => {
    expect(applyTransform(' 12.5 ', 'number')).toEqual(ok(12.5));
    expect(applyTransform(3, 'number')).toEqual(ok(3));
    expect(applyTransform('12 apples', 'number')).toEqual({ ok: false, message: 'not a number: "12 apples"' });
    expect(applyTransform(true, 'number')).toMatchObject({ ok: false });
  });

  it('reads yes/no words', () => {
    for (const yes of [true, 1, 'true', 'YES', ' y ', 'on', '1']) expect(applyTransform(yes, 'boolean')).toEqual(ok(true));
    for (const no of [false, 0, 'false', 'No', 'off', '0']) expect(applyTransform(no, 'boolean')).toEqual(ok(false));
    expect(applyTransform('maybe', 'boolean')).toEqual({ ok: false, message: 'not a yes/no value: "maybe"' });
  });
});

describe('phone', () => {
  it('writes E.164, reading national numbers with the default country', () => {
    expect(applyTransform('(415) 555-2671', { phone: { defaultCountry: 'US' } })).toEqual(ok('+14155552671'));
    expect(applyTransform('020 7946 0958', { phone: { defaultCountry: 'GB' } })).toEqual(ok('+442079460958'));
    expect(applyTransform('+44 20 7946 0958', { phone: {} })).toEqual(ok('+442079460958'));
  });

  it('refuses invalid numbers, saying why', () => {
    expect(applyTransform('12345', { phone: { defaultCountry: 'US' } })).toEqual({ ok: false, message: '"12345" is not a valid phone number for default country US' });
    expect(applyTransform('020 7946 0958', { phone: {} })).toMatchObject({ ok: false, message: expect.stringContaining('no defaultCountry') });
  });
});

describe('date', () => {
  it('writes ISO or YYYY-MM-DD', () => {
    expect(applyTransform('2026-03-01T10:00:00+01:00', { date: {} })).toEqual(ok('2026-03-01T09:00:00.000Z'));
    expect(applyTransform('2026-03-01T10:00:00+01:00', { date: { format: 'date' } })).toEqual(ok('2026-03-01'));
    expect(applyTransform('01/03/2026', { date: { format: 'date' } })).toMatchObject({ ok: false, message: expect.stringContaining('unrecognised date') });
  });
});

describe('map', () => {
  const map: Transform = { map: { hired: ['employee', 'onboarding'], rejected: 'archived', true: 'yes' }, fallback: 'candidate' };

  it('maps values, uses the fallback, and drops unmapped values without one', () => {
    expect(applyTransform('hired', map)).toEqual(ok(['employee', 'onboarding']));
    expect(applyTransform('other', map)).toEqual(ok('candidate'));
    expect(applyTransform(true, map)).toEqual(ok('yes'));
    expect(applyTransform('other', { map: { a: 'b' } })).toEqual(ok(undefined));
  });

  it('never reads inherited keys of the map', () => {
    expect(applyTransform('toString', { map: {} })).toEqual(ok(undefined));
    expect(applyTransform('constructor', { map: {}, fallback: 'x' })).toEqual(ok('x'));
  });
});

describe('lists', () => {
  it('applies item transforms to each item, dropping missing ones', () => {
    expect(applyTransform([' A ', null, '', 'b'], 'trim')).toEqual(ok(['A', 'b']));
    expect(applyTransform(['hired', 'x'], { map: { hired: 'employee' } })).toEqual(ok(['employee']));
  });

  it('names the item that fails', () => {
    expect(applyTransform(['a@x.io', 'nope'], 'email')).toEqual({ ok: false, message: '[1]: invalid email "nope"' });
  });

  it('splits text into trimmed items and joins lists', () => {
    expect(applyTransform(' a; b ;;c ', { split: ';' })).toEqual(ok(['a', 'b', 'c']));
    expect(applyTransform(['a;b', 'c'], { split: ';' })).toEqual(ok(['a', 'b', 'c']));
    expect(applyTransform(['a', null, 2], { join: ' / ' })).toEqual(ok('a / 2'));
    expect(applyTransform('solo', { join: ',' })).toEqual(ok('solo'));
    expect(applyTransform([{}], { join: ',' })).toMatchObject({ ok: false });
  });
});

describe('applyTransforms', () => {
  it('chains transforms and passes missing values through untouched', () => {
    expect(applyTransforms('  Lovelace, ADA ', ['firstName', 'lowercase'])).toEqual(ok('ada'));
    expect(applyTransforms(undefined, ['email', { phone: {} }])).toEqual(ok(undefined));
    expect(applyTransforms('', ['number'])).toEqual(ok(undefined));
    expect(applyTransforms('x', [])).toEqual(ok('x'));
  });

  it('prefixes a failure with the transform name', () => {
    expect(applyTransforms('x', ['trim', { phone: { defaultCountry: 'US' } }])).toMatchObject({ ok: false, message: expect.stringMatching(/^phone: "x" is not/) });
  });
});

describe('helpers', () => {
  it('isMissing and transformName', () => {
    expect([undefined, null, '', 0, false, []].map(isMissing)).toEqual([true, true, true, false, false, false]);
    expect(transformName({ map: {}, fallback: 1 })).toBe('map');
    expect(transformName('email')).toBe('email');
  });
});
