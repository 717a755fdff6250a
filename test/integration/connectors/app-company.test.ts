import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppFake, webhook, type AppFake } from '../../../src/connectors/webhook/index.js';
import type { AppUser } from '../../../src/connectors/webhook/fake.js';
import { loadRecipe, startBridge, type Bridge } from '../../support/bridge.js';

/**
 * Recipe 5 and the company: HighLevel's PUT /contacts/{id} does not take `companyName`, so the
 * planner sends a changed company through POST /contacts/upsert, found by the mapped email or
 * phone. End to end: the app fake's signed `user.updated` → the runtime → the engine on PGlite →
 * the GHL sandbox; the contact is read back from the sandbox (same id, no second contact).
 */

const CONNECTION = 'app-main';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let app: AppFake;
let bridge: Bridge;

beforeAll(async () => {
  app = await createAppFake({ secret: SECRET, retryDelaysMs: [] });
  bridge = await startBridge({
    connectors: [webhook],
    connections: () => [{ id: CONNECTION, app: 'webhook', source: 'my-app', config: { sendUrl: app.inboxUrl }, secrets: { signingSecret: SECRET } }],
  });
  const state = (await (await fetch(`${bridge.sb.url}/_sandbox/state`)).json()) as { users: Record<string, { id: string }> };
  const signup = loadRecipe('app-signup');
  const task = signup.actions.find((a) => a.type === 'task')!;
  if (task.type === 'task') task.assignedTo = { value: Object.values(state.users)[0]!.id };
  await bridge.engine.saveRecipe(signup);
  await bridge.engine.saveRecipe(loadRecipe('app-profile'));
  app.webhookUrl = bridge.hookUrl(CONNECTION);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await bridge?.close();
});

async function sandboxCalls(): Promise<Array<{ method: string; path: string; status: number }>> {
  const body = (await (await fetch(`${bridge.sb.url}/_sandbox/requests?limit=1000`)).json()) as { requests: Array<{ method: string; path: string; status: number }> };
  return body.requests.filter((r) => !r.path.startsWith('/_sandbox'));
}

async function clearCalls(): Promise<void> {
  await fetch(`${bridge.sb.url}/_sandbox/requests`, { method: 'DELETE' });
}

describe('your app → GHL: a company change (recipe app-profile)', () => {
  let user: AppUser;
  let contactId: string;
  let contactCount: number;

  it('maps companyName in app-profile.yaml', () => {
    expect(loadRecipe('app-profile').mapping.contact).toMatchObject({ companyName: 'data.company' });
  });

  it('sign-up with a company → one contact with that company', async () => {
    ({ user } = await app.signUp({ email: 'katherine@example.net', name: 'Katherine Johnson', phone: '+14155550142', plan: 'free', company: 'NACA' }));
    await bridge.settle();
    const contacts = (await bridge.ghlContacts()).filter((c) => c.email === 'katherine@example.net');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ companyName: 'NACA', firstName: 'Katherine' });
    contactId = contacts[0]!.id;
    contactCount = (await bridge.ghlContacts()).length;
  });

  it('a company change → an upsert that lands on the same contact (same id, no duplicate)', async () => {
    await clearCalls();
    await app.updateProfile(user.id, { company: 'NASA' });
    await bridge.settle();
    const runs = await bridge.engine.runs({ recipeId: 'app-profile' });
    expect(runs.map((r) => r.status)).toEqual(['succeeded']);
    const calls = runs[0]!.plan!.calls;
    // the PUT re-asserts email/phone on the linked contact, so the upsert finds this contact and no other
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['PUT /contacts/{contactId}', 'POST /contacts/upsert']);
    expect(calls[0]!.body).toEqual({ email: 'katherine@example.net', phone: '+14155550142' });
    expect(calls[1]!.body).toMatchObject({ companyName: 'NASA', email: 'katherine@example.net', phone: '+14155550142' });
    expect((await sandboxCalls()).map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([`PUT /contacts/${contactId} 200`, 'POST /contacts/upsert 200']);

    const all = await bridge.ghlContacts();
    expect(all).toHaveLength(contactCount);
    const mine = all.filter((c) => c.email === 'katherine@example.net');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: contactId, companyName: 'NASA', firstName: 'Katherine', lastName: 'Johnson', phone: '+14155550142' });
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
  });

  it('the same company again → no call; a name change alone stays a PUT', async () => {
    await clearCalls();
    await app.updateProfile(user.id, { plan: 'free' });
    await bridge.settle();
    expect(await sandboxCalls()).toEqual([]);

    await app.updateProfile(user.id, { name: 'Katherine Goble' });
    await bridge.settle();
    expect((await sandboxCalls()).map((c) => `${c.method} ${c.path}`)).toEqual([`PUT /contacts/${contactId}`]);
    expect((await bridge.ghlContacts()).find((c) => c.id === contactId)).toMatchObject({ lastName: 'Goble', companyName: 'NASA' });
  });

  it('company and name change together → the name by PUT, then the company by upsert, on the same contact', async () => {
    await clearCalls();
    await app.updateProfile(user.id, { company: 'NASA Langley', name: 'Katherine Johnson' });
    await bridge.settle();
    expect((await sandboxCalls()).map((c) => `${c.method} ${c.path}`)).toEqual([`PUT /contacts/${contactId}`, 'POST /contacts/upsert']);
    const all = await bridge.ghlContacts();
    expect(all).toHaveLength(contactCount);
    expect(all.find((c) => c.id === contactId)).toMatchObject({ lastName: 'Johnson', companyName: 'NASA Langley' });
    expect((await bridge.engine.runs({ recipeId: 'app-profile' })).map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });
});
