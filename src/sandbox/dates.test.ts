import { describe, expect, it } from 'vitest';
import { parseDateOfBirth } from './dates.js';
import { phoneKey, toE164 } from './phone.js';

describe('parseDateOfBirth', () => {
  it('reads every separator and order the spec lists', () => {
    for (const s of ['1990/04/25', '04/25/1990', '1990-04-25', '04-25-1990', '1990.04.25', '04.25.1990', '1990_04_25', '04_25_1990']) {
      expect(parseDateOfBirth(s), s).toBe('1990-04-25T00:00:00.000Z');
    }
  });
  it('refuses impossible or foreign input', () => {
    expect(parseDateOfBirth('1990-02-30')).toBeNull();
    expect(parseDateOfBirth('yesterday')).toBeNull();
    expect(parseDateOfBirth({})).toBeNull();
  });
});

describe('phones', () => {
  it('normalises to E.164 with the location country', () => {
    expect(toE164('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(toE164('+44 20 7946 0958', 'US')).toBe('+442079460958');
    expect(toE164('030 1234567', 'DE')).toBe('+49301234567');
  });
  it('compares numbers written differently as equal', () => {
    expect(phoneKey('415.555.2671', 'US')).toBe(phoneKey('+1 415 555 2671', 'US'));
    expect(phoneKey('12', 'US')).toBe('12');
    expect(phoneKey(undefined, 'US')).toBeUndefined();
  });
});
