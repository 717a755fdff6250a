import { describe, expect, it } from 'vitest';
import { advance, compareKeys, compareStamps, emptyWatermark, isAfter, readCursor, rowHash } from './cursor.js';

describe('ERP cursors', () => {
  it('compares stamps as instants (ISO precision, Unix s or ms) and keys numerically when both are integers', () => {
    expect(compareStamps('2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z')).toBe(0);
    expect(compareStamps('2024-01-01T01:00:00+01:00', '2024-01-01T00:00:00Z')).toBe(0);
    expect(compareStamps('1700000000', '1700000000000')).toBe(0);
    expect(compareStamps('2024-01-02', '2024-01-10')).toBe(-1);
    expect(compareKeys('9', '10')).toBe(-1);
    expect(compareKeys('C9', 'C10')).toBe(1);
  });

  it('orders by (updated-at, key): ties on the watermark are kept when their key is later', () => {
    const c = { mode: 'watermark' as const, watermark: '2024-01-01T00:00:00Z', key: 'C2', skip: 0 };
    expect(isAfter(c, { stamp: '2024-01-01T00:00:00Z', key: 'C3' })).toBe(true);
    expect(isAfter(c, { stamp: '2024-01-01T00:00:00Z', key: 'C2' })).toBe(false);
    expect(isAfter(c, { stamp: '2024-01-01T00:00:00Z', key: 'C1' })).toBe(false);
    expect(isAfter(c, { stamp: '2023-12-31T23:59:59Z', key: 'C9' })).toBe(false);
    expect(isAfter(emptyWatermark(), { stamp: '1970-01-01', key: 'x' })).toBe(true);
  });

  it('advances to the last emitted record and skips a full page stuck on one timestamp', () => {
    const c = emptyWatermark();
    const a = advance(c, [{ stamp: 't1', key: '1' }, { stamp: 't2', key: '4' }], 2, true);
    expect(a).toEqual({ mode: 'watermark', watermark: 't2', key: '4', skip: 0 });
    expect(advance(a, [], 0, false)).toBe(a);
    const stuck = advance(a, [], 100, true);
    expect(stuck).toEqual({ ...a, skip: 100 });
    // still in the same timestamp group: keep the skip; a later timestamp resets it
    expect(advance(stuck, [{ stamp: 't2', key: '9' }], 100, true).skip).toBe(100);
    expect(advance(stuck, [{ stamp: 't3', key: '1' }], 100, true).skip).toBe(0);
  });

  it('reads stored cursors defensively and starts over when the mode changed', () => {
    expect(readCursor(null, 'watermark')).toEqual(emptyWatermark());
    expect(readCursor({ mode: 'snapshot', hashes: { a: 'h' } }, 'watermark')).toEqual(emptyWatermark());
    expect(readCursor({ mode: 'watermark', watermark: 'w', key: 'k', skip: 3 }, 'watermark')).toEqual({ mode: 'watermark', watermark: 'w', key: 'k', skip: 3 });
    expect(readCursor({ mode: 'watermark' }, 'snapshot')).toEqual({ mode: 'snapshot', hashes: {}, gen: 0 });
    expect(readCursor({ mode: 'snapshot', hashes: { a: 'h' }, gen: 3 }, 'snapshot')).toEqual({ mode: 'snapshot', hashes: { a: 'h' }, gen: 3 });
    expect(readCursor({ mode: 'watermark', watermark: 'w', key: null, skip: 4, high: 'h' }, 'watermark')).toEqual({ mode: 'watermark', watermark: 'w', key: null, skip: 4, high: 'h' });
  });

  it('hashes rows independent of column order', () => {
    expect(rowHash({ a: '1', b: '2' })).toBe(rowHash({ b: '2', a: '1' }));
    expect(rowHash({ a: '1', b: '2' })).not.toBe(rowHash({ a: '1', b: '3' }));
  });
});
