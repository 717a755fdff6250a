import { afterEach, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../types.js';
import { connecteamConnection } from './connection.js';
import { createConnecteamFake } from './fake.js';
import { listAllUsers, pollUsers, readCursor } from './poll.js';
import { toUserView, wireUserSchema } from './schemas.js';
import { userEventId } from './webhook.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function setup(overlap = 0) {
  const clock = { t: 1_000_000 };
  const fake = await createConnecteamFake({ apiKey: 'key', webhookSecret: 'whs', now: () => clock.t });
  closers.push(fake.close);
  const conn = connecteamConnection({ id: 'ct', app: 'connecteam', source: 'connecteam', config: { baseUrl: fake.url, pageSize: 2, pollOverlapSeconds: overlap }, secrets: { apiKey: 'key' } });
  /** One full poll: every page, as the runtime does it. */
  const pollAll = async (cursor: unknown) => {
    const events: SourceEvent[] = [];
    let pages = 0;
    for (;;) {
      const page = await pollUsers({ conn, cursor, now: 0 });
      events.push(...page.events);
      cursor = page.cursor;
      pages++;
      if (!page.more) return { events, cursor, pages };
    }
  };
  return { fake, conn, clock, pollAll };
}

const person = (i: number) => ({ firstName: `U${i}`, lastName: 'Test', phoneNumber: `+1555010030${i}`, email: `u${i}@example.com` });

describe('connecteam.users.changed poll', () => {
  it('pages by offset, then advances the modifiedAt watermark; ids equal the webhook ids', async () => {
    const { fake, clock, pollAll } = await setup();
    for (let i = 0; i < 5; i++) {
      clock.t += 10;
      await fake.createUser(person(i));
    }
    const first = await pollAll(null);
    expect(first.pages).toBe(3); // 2 + 2 + 1
    expect(first.events.map((e) => e.type)).toEqual(Array(5).fill('user.created'));
    const users = fake.state().users;
    expect(first.events.map((e) => e.externalId)).toEqual(users.map((u) => userEventId(toUserView(wireUserSchema.parse(u)))));
    expect(first.events[0]!.externalId).toMatch(new RegExp(`^user:${users[0]!.userId}:${users[0]!.modifiedAt}:[0-9a-f]{10}$`));
    expect(first.cursor).toEqual({ since: 1_000_050, offset: 0, high: 1_000_050 });
    expect(first.events[0]!.payload).toMatchObject({ user: { id: String(users[0]!.userId), firstName: 'U0', email: 'u0@example.com' }, event: { type: 'poll' } });

    // nothing changed: the last second is read again (dedupes), nothing older
    const again = await pollAll(first.cursor);
    expect(again.events.map((e) => e.externalId)).toEqual([first.events[4]!.externalId]);

    clock.t = 1_000_100;
    await fake.updateUser(users[1]!.userId, { firstName: 'Renamed', lastName: 'Person' });
    await fake.archiveUser(users[3]!.userId);
    await fake.createUser(person(9));
    const next = await pollAll(again.cursor);
    expect(next.events.map((e) => [e.type, (e.payload.user as { firstName?: string }).firstName])).toEqual([
      ['user.updated', 'Renamed'],
      ['user.archived', 'U3'],
      ['user.created', 'U4'], // the old watermark second, read again: same id as before, so it dedupes
      ['user.created', 'U9'],
    ]);
    expect(next.events[2]!.externalId).toBe(first.events[4]!.externalId);
    const archived = fake.state().users.find((u) => u.userId === users[3]!.userId)!;
    expect(next.events[1]!.externalId).toBe(`user:${archived.userId}:archived:${archived.archivedAt}`);
  });

  it('never skips a user modified while a pass is paging (users only join the set)', async () => {
    const { fake, clock, pollAll, conn } = await setup();
    for (let i = 0; i < 4; i++) {
      clock.t += 10;
      await fake.createUser(person(i));
    }
    const base = await pollAll(null);
    clock.t += 100;
    const [a, b, c] = fake.state().users;
    await fake.updateUser(b!.userId, { firstName: 'B2' });
    await fake.updateUser(c!.userId, { firstName: 'C2' });
    const page1 = await pollUsers({ conn, cursor: base.cursor, now: 0 });
    await fake.updateUser(a!.userId, { firstName: 'A2' }); // joins the set ahead of the offset
    const rest = await pollAll(page1.cursor);
    const seen = new Set([...page1.events, ...rest.events].map((e) => (e.payload.user as { firstName: string }).firstName));
    expect(seen.has('B2') && seen.has('C2')).toBe(true);
    const after = await pollAll(rest.cursor);
    expect([...seen, ...after.events.map((e) => (e.payload.user as { firstName: string }).firstName)]).toContain('A2');
  });

  it('reads pollOverlapSeconds behind the watermark: a user stamped behind one already seen is found', async () => {
    const { fake, clock, pollAll } = await setup(60);
    clock.t = 1_000_100;
    await fake.createUser(person(1));
    const first = await pollAll(null);
    expect(first.cursor).toMatchObject({ since: 1_000_100 });
    clock.t = 1_000_070; // a write that lands 30 s behind the watermark
    const late = await fake.createUser(person(2));
    const next = await pollAll(first.cursor);
    expect(next.events.map((e) => e.externalId)).toEqual([userEventId(toUserView(wireUserSchema.parse(late))), first.events[0]!.externalId]); // created_at order
    expect(late.modifiedAt).toBe(1_000_070);
    expect(next.cursor).toMatchObject({ since: 1_000_100 });
  });

  it('refuses a corrupt cursor naming the field', () => {
    expect(readCursor(null)).toEqual({ since: 0, offset: 0, high: 0 });
    expect(() => readCursor({ since: 1, offset: -1, high: 1 })).toThrow('connecteam cursor.offset: expected a non-negative integer');
    expect(() => readCursor('x')).toThrow('connecteam cursor: expected an object');
  });

  it('listAll yields every user, archived ones as user.archived', async () => {
    const { fake, conn } = await setup();
    for (let i = 0; i < 3; i++) await fake.createUser(person(i));
    await fake.archiveUser(fake.state().users[2]!.userId);
    const events: SourceEvent[] = [];
    for await (const e of listAllUsers(conn)) events.push(e);
    expect(events.map((e) => e.type)).toEqual(['user.updated', 'user.updated', 'user.archived']);
  });
});
