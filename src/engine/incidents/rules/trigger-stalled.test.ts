import { describe, expect, it } from 'vitest';
import { pollIntervalMs } from './trigger-stalled.js';

describe('pollIntervalMs', () => {
  const at = Date.parse('2026-03-02T10:02:30Z'); // a Monday
  it('is the gap between the next two turns of the cron', () => {
    expect(pollIntervalMs('*/5 * * * *', at)).toBe(5 * 60_000);
    expect(pollIntervalMs('@hourly', at)).toBe(3_600_000);
    expect(pollIntervalMs('0 9 * * *', at)).toBe(86_400_000);
  });
  it('takes the gap due next for an uneven cron, and null for one that cannot be read', () => {
    // on a Thursday: the next turns are Friday 09:00 and Monday 09:00
    expect(pollIntervalMs('0 9 * * 1-5', Date.parse('2026-03-05T10:00:00Z'))).toBe(3 * 86_400_000);
    expect(pollIntervalMs('not a cron', at)).toBeNull();
  });
});
