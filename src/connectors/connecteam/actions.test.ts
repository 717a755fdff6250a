import { afterEach, describe, expect, it } from 'vitest';
import { connecteam } from './index.js';
import { ConnecteamApiError } from './client.js';
import { connecteamConnection } from './connection.js';
import { summarizeContactView } from './contact-view.js';
import { createConnecteamFake } from './fake.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function setup() {
  const fake = await createConnecteamFake({ apiKey: 'key', webhookSecret: 'whs' });
  closers.push(fake.close);
  const conn = connecteamConnection({ id: 'ct', app: 'connecteam', source: 'connecteam', config: { baseUrl: fake.url }, secrets: { apiKey: 'key' } });
  const run = async (id: string, input: unknown) => {
    const action = connecteam.actions.find((a) => a.id === id)!;
    return action.run({ conn }, action.input.parse(input)) as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const sam = await fake.createUser({ firstName: 'Sam', lastName: 'Rivera', phoneNumber: '+15550100300', email: 'sam@example.com', customFields: [{ customFieldId: 6200001, value: '24/11/2024' }] });
  return { fake, conn, run, sam };
}

describe('Connecteam actions', () => {
  it('declares catalog entries with ids, endpoints and JSON Schemas', () => {
    expect(connecteam.actions.map((a) => a.id)).toEqual([
      'connecteam.getUser', 'connecteam.listUsers', 'connecteam.updateUser', 'connecteam.archiveUser', 'connecteam.addUserNote',
      'connecteam.listCustomFields', 'connecteam.pushContactView', 'connecteam.me',
    ]);
    for (const a of connecteam.actions) {
      expect(a.endpoint).toMatch(/^(GET|POST|PUT|DELETE) \//);
      expect(a.output).toHaveProperty('type', 'object');
    }
    for (const t of connecteam.triggers) expect(t.id).toMatch(/^connecteam\./);
  });

  it('getUser, listUsers, updateUser, archiveUser, addUserNote, listCustomFields, me against the fake', async () => {
    const { fake, run, sam } = await setup();
    expect((await run('connecteam.getUser', { userId: String(sam.userId) })).user).toMatchObject({ id: String(sam.userId), name: 'Sam Rivera', customFields: { 'Employment Start Date': '2024-11-24' } });
    expect((await run('connecteam.getUser', { userId: 1 })).user).toBeNull();
    expect(await run('connecteam.listUsers', { limit: 1 })).toMatchObject({ users: [{ email: 'sam@example.com' }], nextOffset: 1 });
    expect((await run('connecteam.updateUser', { userId: sam.userId, lastName: 'Rivers' })).user).toMatchObject({ lastName: 'Rivers' });
    expect(await run('connecteam.addUserNote', { userId: sam.userId, text: 'Hello', title: 'Hi' })).toMatchObject({ text: 'Hello', title: 'Hi' });
    expect((await run('connecteam.listCustomFields', {})).customFields).toHaveLength(4);
    expect(await run('connecteam.me', {})).toEqual({ companyName: 'Fake Co', companyId: 'fake-company-1' });
    expect(await run('connecteam.archiveUser', { userId: sam.userId })).toEqual({ success: true });
    expect(fake.state().users[0]).toMatchObject({ lastName: 'Rivers', isArchived: true });
    expect(fake.state().notes).toHaveLength(1);
  });

  it('pushContactView writes a ≤1000-character summary note', async () => {
    const { fake, run, sam } = await setup();
    const view = {
      contact: { id: 'c1', firstName: 'Sam', lastName: 'Rivera', email: 'sam@example.com', tags: ['employee', 'onboarding'] },
      tasks: [{ title: 'Sign contract', dueDate: '2026-03-01T10:00:00Z', completed: false }, { title: 'Done one', completed: true }],
      notes: Array.from({ length: 30 }, (_, i) => ({ body: `note ${i} `.repeat(40), dateAdded: `2026-01-${String(i + 1).padStart(2, '0')}` })),
      appointments: Array.from({ length: 40 }, (_, i) => ({ title: `Shift ${i}`, startTime: '2026-03-02T09:00:00Z' })),
    };
    await run('connecteam.pushContactView', { userId: sam.userId, contactView: view });
    const [note] = fake.state().notes;
    expect(note!.title).toBe('HighLevel contact');
    expect(note!.text.length).toBeLessThanOrEqual(1000);
    expect(note!.text).toMatch(/^GHL contact: Sam Rivera · sam@example.com\nTags: employee, onboarding\nOpen tasks \(1 of 2\): Sign contract \(due 2026-03-01\)\nNotes \(30\); latest: note 29/);
    expect(summarizeContactView({ contact: {} })).toBe('GHL contact: (no name)');
  });

  it('refuses bad input naming the field, and reports API errors without the key', async () => {
    const { run } = await setup();
    const fail = (id: string, input: unknown) => {
      const r = connecteam.actions.find((a) => a.id === id)!.input.safeParse(input);
      return r.success ? null : r.error.issues[0]!.path.join('.');
    };
    expect(fail('connecteam.addUserNote', { userId: 1, text: 'x'.repeat(1001) })).toBe('text');
    expect(fail('connecteam.addUserNote', { userId: 'abc', text: 'x' })).toBe('userId');
    expect(fail('connecteam.updateUser', { userId: 1, phoneNumber: '555' })).toBe('phoneNumber');
    expect(fail('connecteam.getUser', { userId: 1, extra: true })).toBe('');
    const error = await run('connecteam.addUserNote', { userId: 424242, text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnecteamApiError);
    expect((error as ConnecteamApiError).status).toBe(404);
    expect((error as Error).message).toBe('Connecteam POST /users/v1/users/424242/notes → 404: USER_NOT_FOUND: user 424242 not found');
    expect((error as Error).message).not.toContain('key');
  });

  it('surfaces a 401 for a wrong key', async () => {
    const { fake } = await setup();
    const bad = connecteamConnection({ id: 'ct', app: 'connecteam', source: 'connecteam', config: { baseUrl: fake.url }, secrets: { apiKey: 'wrong-key' } });
    const error = await connecteam.actions.find((a) => a.id === 'connecteam.me')!.run({ conn: bad }, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect((error as Error).message).not.toContain('wrong-key');
  });
});
