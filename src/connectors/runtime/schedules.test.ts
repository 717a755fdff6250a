import { describe, expect, it } from 'vitest';
import { parseSchedule } from './schedules.js';

describe('parseSchedule', () => {
  it('reads a full sync and a poll schedule', () => {
    expect(parseSchedule('kind: fullSync\nid: nightly\nconnection: erp-main\nrecipe: erp-customers\nschedule: "0 3 * * *"\nfilter: { path: customer.businessId, equals: b-1 }\n')).toEqual({
      ok: true,
      schedule: { kind: 'fullSync', id: 'nightly', connection: 'erp-main', recipe: 'erp-customers', schedule: '0 3 * * *', filter: { path: 'customer.businessId', equals: 'b-1' } },
    });
    expect(parseSchedule('{"kind":"poll","id":"p","connection":"recruitee-main","trigger":"recruitee.candidates.changed","schedule":"*/5 * * * *"}')).toMatchObject({ ok: true });
  });

  it('names every problem with its path', () => {
    const r = parseSchedule('kind: fullSync\nid: nightly\nconnection: erp-main\nschedule: "0 25 * * *"\nfiltr: {}\n');
    expect(r.ok).toBe(false);
    const messages = r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
    expect(messages.some((m) => m.startsWith('schedule: invalid schedule'))).toBe(true);
    expect(messages.some((m) => m.startsWith('recipe:'))).toBe(true);
    expect(messages.some((m) => m.includes('unknown key "filtr"'))).toBe(true);
    expect(parseSchedule('kind: nap\n')).toMatchObject({ ok: false });
    expect(parseSchedule('a: [')).toMatchObject({ ok: false, errors: [{ path: '' }] });
  });
});
