import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecruiteeClient, RecruiteeApiError } from './client.js';
import { createRecruiteeFake, type RecruiteeFake } from './fake.js';

let fake: RecruiteeFake;
const TOKEN = 'tok-abc-123';

beforeAll(async () => {
  fake = await createRecruiteeFake({ companyId: 90001, token: TOKEN, webhookSecret: 's' });
  for (let i = 1; i <= 7; i++) await fake.addCandidate({ name: `Person ${i}`, emails: [`p${i}@example.com`] });
});
afterAll(() => fake.close());

const client = (token = TOKEN) => createRecruiteeClient({ baseUrl: fake.url, companyId: '90001', token });

describe('RecruiteeClient', () => {
  it('pages candidates with limit/offset, newest first, references sideloaded', async () => {
    const first = await client().candidates.list({ limit: 3, offset: 0 });
    expect(first.candidates.map((c) => c.name)).toEqual(['Person 7', 'Person 6', 'Person 5']);
    expect(first.references.some((r) => (r as { type: string }).type === 'Stage')).toBe(true);
    expect(first.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT.*\.\d{6}Z$/);
    const last = await client().candidates.list({ limit: 3, offset: 6 });
    expect(last.candidates.map((c) => c.name)).toEqual(['Person 1']);
  });

  it('walks every page once with all()', async () => {
    const before = fake.requests.length;
    const names: string[] = [];
    for await (const { candidate } of client().candidates.all(3)) names.push(candidate.name!);
    expect(names).toHaveLength(7);
    expect(new Set(names).size).toBe(7);
    expect(fake.requests.slice(before).map((r) => r.path)).toEqual([
      '/c/90001/candidates?limit=3&offset=0',
      '/c/90001/candidates?limit=3&offset=3',
      '/c/90001/candidates?limit=3&offset=6',
    ]);
  });

  it('filters by created_after and searches by updated_at', async () => {
    const all = (await client().candidates.list()).candidates;
    const fourth = all.find((c) => c.name === 'Person 4')!;
    const newer = await client().candidates.list({ createdAfter: fourth.created_at! });
    expect(newer.candidates.map((c) => c.name).sort()).toEqual(['Person 5', 'Person 6', 'Person 7']);
    await fake.updateCandidate(all.find((c) => c.name === 'Person 2')!.id, { name: 'Person Two' });
    const since = Math.floor(Date.now() / 1000) - 1;
    const found = await client().candidates.search({ filters: [{ field: 'updated_at', gte: since }, { field: 'all', query: 'two' }], limit: 10 });
    expect(found.hits.map((h) => h.name)).toEqual(['Person Two']);
    expect(found.total).toBe(1);
    expect(found.hits[0]!.placements![0]!.stage).toMatchObject({ name: 'Applied', category: 'apply' });
  });

  it('refuses a wrong token with 401, without echoing it', async () => {
    const e = await client('wrong-token-zzz').candidates.get(1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RecruiteeApiError);
    expect(e).toMatchObject({ status: 401, method: 'GET', path: '/candidates/1', retryable: false });
    expect(String((e as Error).message)).not.toContain('wrong-token-zzz');
  });

  it('says 404 for an unknown candidate and null status when nothing answers', async () => {
    await expect(client().candidates.get(1)).rejects.toMatchObject({ status: 404 });
    const dead = createRecruiteeClient({ baseUrl: 'http://127.0.0.1:9', companyId: '1', token: 't', timeoutMs: 2000 });
    await expect(dead.candidates.get(1)).rejects.toMatchObject({ status: null, retryable: true });
  });

  it('creates and updates notes and tasks wrapped in their root keys', async () => {
    const [c] = (await client().candidates.list({ limit: 1 })).candidates;
    const note = await client().notes.create(c!.id, { body: 'Called' });
    await client().notes.update(c!.id, note.id, { body: 'Called twice' });
    expect((await client().notes.list(c!.id)).notes.map((n) => n.body)).toEqual(['Called twice']);
    const task = await client().tasks.create({ candidateId: c!.id, title: 'Send offer', dueDate: '2026-01-01T10:00:00Z' });
    await client().tasks.update(task.id, { completed: true });
    expect(await client().tasks.listForCandidate(c!.id)).toEqual([expect.objectContaining({ id: task.id, completed: true, due_date: '2026-01-01T10:00:00Z' })]);
  });

  it('reads an offer with its pipeline stages', async () => {
    const offer = await client().offers.get(800001);
    expect(offer.pipeline_template!.stages!.map((s) => s.category)).toEqual(['referred', 'sourced', 'apply', 'phone_screen', 'interview', 'evaluation', 'offer', 'hire']);
    expect((await client().offers.list()).map((o) => o.id)).toEqual([800001, 800002]);
  });
});
