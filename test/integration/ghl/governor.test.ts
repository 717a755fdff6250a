import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { governedClient, newPit, statusCounts } from './governed-client.js';

/**
 * The governor against the sandbox's sliding-window burst limit, over real HTTP: many more
 * requests than one window allows, all sent at once, and not one 429. (Its speed is measured by
 * `npm run bench`, not here.)
 */

let sb: TestSandbox;

afterEach(async () => {
  await sb.close();
});

describe('governor against the sandbox burst limit', () => {
  it.each([
    { max: 100, intervalMs: 2000, locations: 1, perLocation: 120 },
    { max: 20, intervalMs: 500, locations: 3, perLocation: 50 },
  ])('$perLocation requests at once on each of $locations location(s), limit $max per $intervalMs ms: zero 429s', async ({ max, intervalMs, locations, perLocation }) => {
    sb = await startSandbox({ config: { rateLimit: { enabled: true, max, intervalMs } } });
    const extra = await sb.api<{ locations: Array<{ id: string }> }>('POST', '/_sandbox/seed', {
      token: null,
      body: { locations: Array.from({ length: 3 }, (_, i) => ({ id: `govloc${i}`, companyId: sb.info.companyId, name: `Governed ${i}` })) },
    });
    expect(extra.status).toBe(200);
    const ids = ['govloc0', 'govloc1', 'govloc2'].slice(0, locations);
    const pits = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await newPit(sb, id)] as const)));
    const client = governedClient(sb, { pits });

    const calls = ids.flatMap((locationId) =>
      Array.from({ length: perLocation }, () => client.call<{ contacts: unknown[] }>({ method: 'GET', path: '/contacts/', query: { locationId, limit: 1 }, idempotent: true, resourceId: locationId })),
    );
    const results = await Promise.allSettled(calls);

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(client.attempts.filter((a) => a.status === 429)).toHaveLength(0);
    expect(client.attempts).toHaveLength(locations * perLocation);
    const server = await statusCounts(sb);
    expect(server).toEqual({ '200': locations * perLocation });
    // the limits were learned from the headers, not assumed
    expect((await client.store.snapshot(ids[0]!, Date.now())).limits).toMatchObject({ max, intervalMs });
  });
});
