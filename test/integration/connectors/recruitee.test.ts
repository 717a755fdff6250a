import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecruiteeFake, type RecruiteeFake } from '../../../src/connectors/recruitee/fake.js';
import { isContactViewNote, recruitee, VIEW_HEADING } from '../../../src/connectors/recruitee/index.js';
import { connectorActions, connectorRegistry, staticConnections } from '../../../src/connectors/runtime/index.js';
import type { ConnectorConnection } from '../../../src/connectors/types.js';
import { readContactView } from '../../../src/engine/apply/contact-view.js';
import { parseRecipe } from '../../../src/engine/recipes/schema.js';
import { startBridge, type Bridge, type SandboxContact } from '../../support/bridge.js';
import { catalogCoverage } from '../../support/catalog-coverage.js';

/**
 * Recipes 1, 2, 3 and 9 end to end: the Recruitee fake (real HTTP, signed webhooks that count only
 * a 200 as delivered) → the connector runtime (webhooks and polls) → the engine on PGlite → the GHL
 * sandbox, and back into the fake for the contact view. Counts are read from the sandbox, the
 * engine's events and runs, and the fake's state. Every catalog entry of recruitee is executed once
 * for real: webhooks through the runtime ingress (the stored event checked), polls through
 * `runtime.poll`, actions through the engine's app port against the fake (the last test checks
 * none was left out).
 */

const CONNECTION = 'recruitee-main';
const RECIPES = ['recruitee-candidates', 'recruitee-stages', 'recruitee-stage-notes', 'recruitee-notes', 'recruitee-tasks', 'recruitee-pull-view'];

const coverage = catalogCoverage('recruitee');
let fake: RecruiteeFake;
let bridge: Bridge;
/** The engine's `type: app` port over the catalog actions (input checked by each action's schema). */
let apps: ReturnType<typeof connectorActions>;

const connection = (): ConnectorConnection => ({ id: CONNECTION, app: 'recruitee', source: 'recruitee', config: { baseUrl: fake.url, companyId: 90001, overlapSeconds: 0 }, secrets: { token: 'rc-token', webhookSecret: 'rc-webhook-secret' } });

beforeAll(async () => {
  fake = await createRecruiteeFake({ companyId: 90001, companyName: 'Acme BV', token: 'rc-token', webhookSecret: 'rc-webhook-secret', retryDelaysMs: [10, 10] });
  bridge = await startBridge({ connectors: [recruitee], connections: () => [connection()], recipes: RECIPES });
  apps = connectorActions({ registry: connectorRegistry([recruitee]), connections: staticConnections([connection()]) });
  const probe = await fake.setWebhookUrl(bridge.hookUrl(CONNECTION));
  expect(probe?.attempts.map((a) => a.status)).toEqual([200]);
}, 60_000);

afterAll(async () => {
  await fake?.close();
  await bridge?.close();
});

async function contactsOf(email: string): Promise<SandboxContact[]> {
  return (await bridge.ghlContacts()).filter((c) => c.email === email);
}

async function only(email: string): Promise<SandboxContact> {
  const contacts = await contactsOf(email);
  expect(contacts).toHaveLength(1);
  return contacts[0]!;
}

async function recruiteeEvents(): Promise<number> {
  const { rows } = await bridge.db.db.query<{ n: string }>(`select count(*) as n from events where source = 'recruitee'`);
  return Number(rows[0]!.n);
}

interface StoredEvent {
  external_id: string;
  type: string;
  origin: string;
  status: string | null;
}

/** The engine events stored for one candidate, oldest first. */
async function eventsOf(candidateId: number): Promise<StoredEvent[]> {
  const { rows } = await bridge.db.db.query<StoredEvent>(
    `select external_id, type, payload->>'origin' as origin, payload->'candidate'->>'status' as status from events where source = 'recruitee' and payload->'candidate'->>'id' = $1 order by id`,
    [String(candidateId)],
  );
  return rows;
}

/** The envelope id of the fake's last webhook delivery (a non-created/updated event's key). */
function lastEnvelopeId(): number {
  return (JSON.parse(fake.deliveries.at(-1)!.body) as { id: number }).id;
}

/** Runs a catalog action against the fake through the engine's app port and marks it executed. */
async function act<T = Record<string, unknown>>(actionId: string, input: Record<string, unknown>): Promise<T> {
  const out = (await apps.run(CONNECTION, actionId, input)) as T;
  coverage.ran(actionId);
  return out;
}

async function poll(trigger: string) {
  const report = await bridge.runtime.poll(CONNECTION, trigger);
  await bridge.settle();
  return report;
}

describe('Recruitee → GHL (recipes recruitee-*)', () => {
  it('ships valid recipe files', () => {
    for (const name of RECIPES) {
      const parsed = parseRecipe(readFileSync(join(import.meta.dirname, '../../../recipes', `${name}.yaml`), 'utf8'));
      expect(parsed.ok, name).toBe(true);
      if (parsed.ok) expect(parsed.recipe).toMatchObject({ trigger: { source: 'recruitee' }, connection: 'ghl-main', recordId: 'candidate.id' });
    }
  });

  let jane: Awaited<ReturnType<RecruiteeFake['addCandidate']>>;
  let tom: Awaited<ReturnType<RecruiteeFake['addCandidate']>>;

  it('new candidate by webhook → exactly one GHL contact', async () => {
    jane = await fake.addCandidate({ name: 'Jane van Dijk', emails: ['Jane.vanDijk@example.com', 'jane@home.example'], phones: ['+31 6 12345678'], source: 'career_site' });
    expect(fake.deliveries.at(-1)!.attempts.map((a) => a.status)).toEqual([200]);
    // one event, one run per recipe that takes it (recruitee-candidates, -stages, -stage-notes)
    expect(await bridge.settle()).toEqual({ succeeded: 3 });
    const contact = await only('jane.vandijk@example.com');
    expect(contact).toMatchObject({ firstName: 'Jane', lastName: 'van Dijk', phone: '+31612345678', companyName: 'Acme BV', source: 'Recruitee (career_site)' });
    expect([...contact.tags].sort()).toEqual(['candidate', 'recruitee', 'recruitee-active']);
    const notes = (await bridge.ghl.notes.list(contact.id)).notes;
    expect(notes.map((n) => n.body)).toEqual(['Recruitee: New candidate Jane van Dijk from career_site for Sales Rep']);
    // keyed like the poll (candidate id + updated_at), so the same state polled later dedupes
    expect(await eventsOf(jane.id)).toEqual([{ external_id: `candidate:${jane.id}:${jane.updated_at}`, type: 'candidate.created', origin: 'webhook', status: 'active' }]);
    coverage.ran('recruitee.candidate.created');
  });

  it('the same candidate arriving by polling → still exactly one contact, no second run', async () => {
    const runs = await bridge.runCount();
    const report = await poll('recruitee.candidates.changed');
    expect(report).toMatchObject({ ingested: 0, duplicates: 1 });
    expect(await bridge.runCount()).toBe(runs);
    await only('jane.vandijk@example.com');

    // a change whose webhook was lost: only the poll sees it, and it updates the same contact
    const renamed = await fake.updateCandidate(jane.id, { name: 'Jane de Vries' }, { webhook: false });
    expect(await poll('recruitee.candidates.changed')).toMatchObject({ ingested: 1 });
    expect(await bridge.runCount()).toBe(runs + 2); // candidate.updated: recruitee-candidates and -stages (tags), no note
    expect(await only('jane.vandijk@example.com')).toMatchObject({ firstName: 'Jane', lastName: 'de Vries' });
    expect((await eventsOf(jane.id)).at(-1)).toEqual({ external_id: `candidate:${jane.id}:${renamed.updated_at}`, type: 'candidate.updated', origin: 'poll', status: 'active' });
    coverage.ran('recruitee.candidates.changed');

    // its webhook arriving late (the candidate is re-read: the state the poll saw, the same key)
    // and polling again change nothing
    const late = await fake.sendWebhook({ id: 990010, event_type: 'candidate_updated', attempt_count: 1, created_at: renamed.updated_at, payload: { candidate: { id: jane.id, name: 'Jane de Vries' } } });
    expect(late.attempts.map((a) => a.status)).toEqual([200]);
    await bridge.settle();
    expect(await poll('recruitee.candidates.changed')).toMatchObject({ ingested: 0 });
    expect(await bridge.runCount()).toBe(runs + 2);
    expect(await contactsOf('jane.vandijk@example.com')).toHaveLength(1);
    expect(await eventsOf(jane.id)).toHaveLength(2);
  });

  it('candidate updated by webhook → one new event, the same contact updated in place', async () => {
    const runs = await bridge.runCount();
    const updated = await fake.updateCandidate(jane.id, { phones: ['+31 6 87654321'] });
    expect(fake.deliveries.at(-1)!.attempts.map((a) => a.status)).toEqual([200]);
    expect(await bridge.settle()).not.toHaveProperty('dead');
    expect(await bridge.runCount()).toBe(runs + 2);
    expect((await eventsOf(jane.id)).at(-1)).toEqual({ external_id: `candidate:${jane.id}:${updated.updated_at}`, type: 'candidate.updated', origin: 'webhook', status: 'active' });
    expect(await only('jane.vandijk@example.com')).toMatchObject({ firstName: 'Jane', lastName: 'de Vries', phone: '+31687654321' });
    coverage.ran('recruitee.candidate.updated');
  });

  it('stage change → lifecycle tag swapped (managed) and a note with the move', async () => {
    await fake.moveStage(jane.id, 'Phone interview');
    await bridge.settle();
    let contact = await only('jane.vandijk@example.com');
    expect(contact.tags).toContain('interviewed');
    expect(contact.tags).not.toContain('candidate');
    let notes = (await bridge.ghl.notes.list(contact.id)).notes;
    expect(notes.map((n) => n.body)).toContain('Recruitee: Moved from Applied to Phone interview (Sales Rep)');
    expect(notes).toHaveLength(2);
    expect((await eventsOf(jane.id)).at(-1)).toEqual({ external_id: `webhook:${lastEnvelopeId()}`, type: 'candidate.stage_changed', origin: 'webhook', status: 'active' });
    coverage.ran('recruitee.candidate.stageChanged');

    await fake.moveStage(jane.id, 'hire');
    await bridge.settle();
    contact = await only('jane.vandijk@example.com');
    expect([...contact.tags].sort()).toEqual(['hired', 'recruitee', 'recruitee-hired']);
    notes = (await bridge.ghl.notes.list(contact.id)).notes;
    expect(notes.map((n) => n.body).sort()).toEqual([
      'Recruitee: Moved from Applied to Phone interview (Sales Rep)',
      'Recruitee: Moved from Phone interview to Hired (Sales Rep)',
      'Recruitee: New candidate Jane van Dijk from career_site for Sales Rep',
    ]);
  });

  it('a stage change whose webhook was lost → the poll repairs the lifecycle tags, without inventing a move note', async () => {
    const sam = await fake.addCandidate({ name: 'Sam Stage', emails: ['sam.stage@example.com'] });
    await bridge.settle();
    await poll('recruitee.candidates.changed'); // the watermark passes Sam's creation
    expect([...(await only('sam.stage@example.com')).tags].sort()).toEqual(['candidate', 'recruitee', 'recruitee-active']);

    const moved = await fake.moveStage(sam.id, 'interview', { webhook: false });
    expect(await poll('recruitee.candidates.changed')).toMatchObject({ ingested: 1 });
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
    // Recruitee touched Sam after creating him: the poll still knows this is an update, not a new candidate
    expect((await eventsOf(sam.id)).at(-1)).toEqual({ external_id: `candidate:${sam.id}:${moved.updated_at}`, type: 'candidate.updated', origin: 'poll', status: 'active' });
    const contact = await only('sam.stage@example.com');
    expect([...contact.tags].sort()).toEqual(['interviewed', 'recruitee', 'recruitee-active']);
    expect((await bridge.ghl.notes.list(contact.id)).notes.map((n) => n.body)).toEqual(['Recruitee: New candidate Sam Stage from manual for Sales Rep']);

    // polling again changes nothing
    const runs = await bridge.runCount();
    expect(await poll('recruitee.candidates.changed')).toMatchObject({ ingested: 0 });
    expect(await bridge.runCount()).toBe(runs);
    await fake.deleteCandidate(sam.id, { webhook: false }); // (the catalog tests below list Tom and Jane only)
  });

  it('a new candidate whose webhook was lost → candidate.created from the poll: one contact, one "New candidate" note', async () => {
    const lost = await fake.addCandidate({ name: 'Lou Lost', emails: ['lou.lost@example.com'] }, { webhook: false });
    expect(String(lost.updated_at) > String(lost.created_at)).toBe(true);
    expect(await poll('recruitee.candidates.changed')).toMatchObject({ ingested: 1 });
    expect((await eventsOf(lost.id)).map((e) => [e.type, e.origin])).toEqual([['candidate.created', 'poll']]);
    const contact = await only('lou.lost@example.com');
    expect([...contact.tags].sort()).toEqual(['candidate', 'recruitee', 'recruitee-active']);
    expect((await bridge.ghl.notes.list(contact.id)).notes.map((n) => n.body)).toEqual(['Recruitee: New candidate Lou Lost from manual for Sales Rep']);
    await fake.deleteCandidate(lost.id, { webhook: false });
  });

  it('notes and tasks polled → GHL notes and tasks; edits update them in place', async () => {
    tom = await fake.addCandidate({ name: 'Tom Tasker', emails: ['tom.tasker@example.com'] });
    await bridge.settle();
    const note = fake.addNote(tom.id, '<p>Strong closer</p>');
    const task = fake.addTask(tom.id, { title: 'Send the assessment', dueDate: '2026-02-01T09:00:00.000Z' });
    await poll('recruitee.notes.changed');
    await poll('recruitee.tasks.changed');
    const contact = await only('tom.tasker@example.com');
    let notes = (await bridge.ghl.notes.list(contact.id)).notes;
    let tasks = (await bridge.ghl.tasks.list(contact.id)).tasks;
    expect(notes.map((n) => n.body).filter((b) => !b?.startsWith('Recruitee: '))).toEqual(['Strong closer']);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Send the assessment', completed: false });
    expect((await eventsOf(tom.id)).filter((e) => e.origin === 'poll').map((e) => e.type)).toEqual(['note.changed', 'task.changed']);
    coverage.ran('recruitee.notes.changed');
    coverage.ran('recruitee.tasks.changed');

    const runs = await bridge.runCount();
    await poll('recruitee.notes.changed'); // nothing changed: nothing to do
    await poll('recruitee.tasks.changed');
    expect(await bridge.runCount()).toBe(runs);

    fake.updateNote(note.id, '<p>Strong closer, wants remote</p>');
    fake.updateTask(task.id, { title: 'Send the assessment (v2)' });
    fake.completeTask(task.id);
    await poll('recruitee.notes.changed');
    await poll('recruitee.tasks.changed');
    notes = (await bridge.ghl.notes.list(contact.id)).notes;
    tasks = (await bridge.ghl.tasks.list(contact.id)).tasks;
    expect(notes.map((n) => n.body).filter((b) => !b?.startsWith('Recruitee: '))).toEqual(['Strong closer, wants remote']);
    expect(notes).toHaveLength(2); // the edited note and the "New candidate" note
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Send the assessment (v2)', completed: true });

    // reopened, then done again: a return to an earlier state still reaches GHL each time
    for (const completed of [false, true, false, true]) {
      fake.completeTask(task.id, completed);
      expect(await poll('recruitee.tasks.changed')).toMatchObject({ ingested: 1 });
      tasks = (await bridge.ghl.tasks.list(contact.id)).tasks;
      expect(tasks.map((t) => [t.title, t.completed])).toEqual([['Send the assessment (v2)', completed]]);
    }
    expect(await poll('recruitee.tasks.changed')).toMatchObject({ ingested: 0 });
  });

  it('disqualified, then requalified, by webhook → the status tag follows and a note gives the reason', async () => {
    const dana = await fake.addCandidate({ name: 'Dana Quinn', emails: ['dana.quinn@example.com'] });
    await bridge.settle();
    await fake.disqualify(dana.id, 'Not a fit for the role');
    expect(fake.deliveries.at(-1)!.attempts.map((a) => a.status)).toEqual([200]);
    expect(await bridge.settle()).not.toHaveProperty('dead');
    expect((await eventsOf(dana.id)).at(-1)).toEqual({ external_id: `webhook:${lastEnvelopeId()}`, type: 'candidate.disqualified', origin: 'webhook', status: 'disqualified' });
    let contact = await only('dana.quinn@example.com');
    expect([...contact.tags].sort()).toEqual(['candidate', 'recruitee', 'recruitee-disqualified']);
    expect((await bridge.ghl.notes.list(contact.id)).notes.map((n) => n.body)).toContain('Recruitee: Disqualified from Sales Rep: Not a fit for the role');

    await fake.requalify(dana.id);
    expect(await bridge.settle()).not.toHaveProperty('dead');
    expect((await eventsOf(dana.id)).at(-1)).toEqual({ external_id: `webhook:${lastEnvelopeId()}`, type: 'candidate.requalified', origin: 'webhook', status: 'active' });
    contact = await only('dana.quinn@example.com');
    expect([...contact.tags].sort()).toEqual(['candidate', 'recruitee', 'recruitee-active']);
    expect((await bridge.ghl.notes.list(contact.id)).notes.map((n) => n.body)).toContain('Recruitee: Requalified for Sales Rep');
    coverage.ran('recruitee.candidate.disqualified');

    // deleted: the event is stored (no ready-made recipe takes it), the GHL contact is kept
    const runs = await bridge.runCount();
    await fake.deleteCandidate(dana.id);
    expect(fake.deliveries.at(-1)!.attempts.map((a) => a.status)).toEqual([200]);
    await bridge.settle();
    expect((await eventsOf(dana.id)).at(-1)).toEqual({ external_id: `webhook:${lastEnvelopeId()}`, type: 'candidate.deleted', origin: 'webhook', status: 'deleted' });
    expect(await bridge.runCount()).toBe(runs);
    expect((await only('dana.quinn@example.com')).id).toBe(contact.id);
    expect(fake.state().candidates.map((c) => c.id)).not.toContain(dana.id);
    coverage.ran('recruitee.candidate.deleted');
  });

  it('a bad signature → 401 recorded, never enqueued', async () => {
    const runs = await bridge.runCount();
    const events = await recruiteeEvents();
    const rejectedBefore = (await bridge.runtime.rejections({ connectionId: CONNECTION })).length;
    const body = { id: 990001, event_type: 'new_candidate', event_subtype: 'manual', attempt_count: 1, created_at: '2024-03-05T08:00:00.000000Z', payload: { candidate: { id: jane.id, name: 'Mallory' } } };
    const delivery = await fake.sendWebhook(body, { signature: fake.sign('{"different":"bytes"}') });
    expect(delivery.attempts.map((a) => a.status)).toEqual([401, 401, 401]);
    const unsigned = await fake.sendWebhook(body, { signature: null });
    expect(unsigned.attempts.map((a) => a.status)).toEqual([401, 401, 401]);
    // every attempt (Recruitee retries anything but 200) is refused and recorded
    const rejections = await bridge.runtime.rejections({ connectionId: CONNECTION });
    expect(rejections.length - rejectedBefore).toBe(6);
    expect(await recruiteeEvents()).toBe(events);
    expect(await bridge.runCount()).toBe(runs);
  });

  it('the {"test":true} probe → 200, not enqueued', async () => {
    const runs = await bridge.runCount();
    const events = await recruiteeEvents();
    const probe = await fake.setWebhookUrl(bridge.hookUrl(CONNECTION));
    expect(probe?.attempts.map((a) => a.status)).toEqual([200]);
    expect(await recruiteeEvents()).toBe(events);
    expect(await bridge.runCount()).toBe(runs);
  });

  it('a malformed envelope → 400 naming the field, never enqueued', async () => {
    const events = await recruiteeEvents();
    const delivery = await fake.sendWebhook({ id: 990002, event_type: 'candidate_moved', event_subtype: 'stage_changed', payload: { candidate: { id: jane.id }, details: {} } });
    expect(delivery.attempts[0]!.status).toBe(400);
    const [last] = await bridge.runtime.rejections({ connectionId: CONNECTION, limit: 1 });
    expect(JSON.stringify(last)).toContain('payload.details.to_stage');
    expect(await recruiteeEvents()).toBe(events);
  });

  it('pull requested → the GHL contact view written into Recruitee as one note, updated in place', async () => {
    const contact = await only('jane.vandijk@example.com');
    await bridge.ghl.tasks.create(contact.id, { title: 'Prepare the contract', dueDate: '2026-03-01T10:00:00Z', completed: false });
    const pull = (id: string) => fake.sendWebhook({ id, event_type: 'pull_requested', created_at: '2026-01-01T00:00:00Z', payload: { candidate: { id: jane.id } } });
    expect((await pull('pull-1')).attempts.map((a) => a.status)).toEqual([200]);
    expect(await bridge.settle()).not.toHaveProperty('dead');
    const views = () => fake.state().notes.filter((n) => n.candidate_id === jane.id && isContactViewNote(n.body));
    expect(views()).toHaveLength(1);
    expect(views()[0]!.body).toContain('Prepare the contract');
    expect(views()[0]!.body).toContain('hired');
    expect(views()[0]!.body).toContain('Moved from Phone interview to Hired');
    expect((await eventsOf(jane.id)).at(-1)).toMatchObject({ external_id: 'webhook:pull-1', type: 'candidate.pull_requested', origin: 'webhook' });
    coverage.ran('recruitee.candidate.pullRequested');

    await bridge.ghl.tasks.create(contact.id, { title: 'Book the first day', dueDate: '2026-03-02T10:00:00Z', completed: false });
    await pull('pull-2');
    await bridge.settle();
    expect(views()).toHaveLength(1);
    expect(views()[0]!.body).toContain('Book the first day');
    expect(await contactsOf('jane.vandijk@example.com')).toHaveLength(1);

    // the notes poll leaves the view note in Recruitee: copied into GHL, the next pull would embed it again
    const ghlNotes = async () => (await bridge.ghl.notes.list(contact.id)).notes.map((n) => n.body ?? '');
    const before = await ghlNotes();
    await poll('recruitee.notes.changed');
    expect(await ghlNotes()).toEqual(before);
    expect((await ghlNotes()).filter((b) => b.includes(VIEW_HEADING))).toEqual([]);
  });

  describe('catalog actions against the fake (the engine app port)', () => {
    type Cand = { id: number; name: string | null; firstName: string | null; lastName: string | null; email: string | null; status: string | null; stage: { name: string | null; category: string | null } | null; offer: { id: number; title: string | null } | null };
    type Note = { id: number; body: string; text: string };
    type Task = { id: number; title: string; description: string | null; dueDate: string; hasDueDate: boolean; completed: boolean; candidateId: number | null };
    const notesOf = (candidateId: number) => fake.state().notes.filter((n) => n.candidate_id === candidateId);
    const taskOf = (taskId: number) => fake.state().tasks.find((t) => t.id === taskId);

    it('getCandidate → the full candidate, normalized (id as a digit string, as ledger links are)', async () => {
      const c = await act<Cand>('recruitee.getCandidate', { candidateId: String(jane.id) });
      expect(c).toMatchObject({ id: jane.id, name: 'Jane de Vries', firstName: 'Jane', lastName: 'de Vries', status: 'hired', stage: { name: 'Hired', category: 'hire' }, offer: { id: 800001, title: 'Sales Rep' } });
      expect(c.email?.toLowerCase()).toBe('jane.vandijk@example.com');
    });

    it('listCandidates → one page, newest first, with `more`', async () => {
      const all = await act<{ candidates: Cand[]; more: boolean }>('recruitee.listCandidates', {});
      // Dana was deleted: Tom and Jane are left
      expect(all.candidates.map((c) => c.name)).toEqual(['Tom Tasker', 'Jane de Vries']);
      expect(all.more).toBe(false);
      expect(await act('recruitee.listCandidates', { limit: 1 })).toMatchObject({ candidates: [{ id: tom.id }], more: true });
      expect((await act<{ candidates: Cand[] }>('recruitee.listCandidates', { limit: 1, offset: 1 })).candidates.map((c) => c.id)).toEqual([jane.id]);
    });

    it('updateCandidate → changed in Recruitee and, through its webhook, on the GHL contact', async () => {
      const runs = await bridge.runCount();
      const c = await act<Cand>('recruitee.updateCandidate', { candidateId: tom.id, name: 'Tom Taskmaster' });
      expect(c).toMatchObject({ id: tom.id, name: 'Tom Taskmaster', lastName: 'Taskmaster' });
      expect(fake.state().candidates.find((x) => x.id === tom.id)!.name).toBe('Tom Taskmaster');
      await fake.idle();
      expect(await bridge.settle()).not.toHaveProperty('dead');
      expect(await bridge.runCount()).toBe(runs + 2); // candidate.updated: recruitee-candidates and -stages
      expect(await only('tom.tasker@example.com')).toMatchObject({ firstName: 'Tom', lastName: 'Taskmaster' });
    });

    it('addNote, updateNote, listNotes → the notes in Recruitee', async () => {
      const note = await act<Note>('recruitee.addNote', { candidateId: tom.id, body: 'Called, will reply Friday' });
      expect(note).toMatchObject({ body: 'Called, will reply Friday', text: 'Called, will reply Friday' });
      expect(notesOf(tom.id).find((n) => n.id === note.id)!.body).toBe('Called, will reply Friday');
      const edited = await act<Note>('recruitee.updateNote', { candidateId: String(tom.id), noteId: String(note.id), body: 'Called, replied: interested' });
      expect(edited).toMatchObject({ id: note.id, text: 'Called, replied: interested' });
      expect(notesOf(tom.id).find((n) => n.id === note.id)!.body).toBe('Called, replied: interested');
      const { notes } = await act<{ notes: Note[] }>('recruitee.listNotes', { candidateId: tom.id });
      expect(notes.map((n) => n.text).sort()).toEqual(['Called, replied: interested', 'Strong closer, wants remote']);
      expect(notes).toHaveLength(notesOf(tom.id).length);
    });

    it('createTask, updateTask, completeTask, listTasks → the tasks in Recruitee', async () => {
      const task = await act<Task>('recruitee.createTask', { candidateId: tom.id, title: 'Schedule the interview', dueDate: '2026-04-01T09:00:00Z' });
      expect(task).toMatchObject({ title: 'Schedule the interview', hasDueDate: true, completed: false, candidateId: tom.id });
      expect(taskOf(task.id)).toMatchObject({ candidate_id: tom.id, title: 'Schedule the interview', completed: false });
      expect(await act('recruitee.updateTask', { taskId: task.id, title: 'Schedule the second interview', description: 'with the team lead' })).toMatchObject({ id: task.id, title: 'Schedule the second interview', description: 'with the team lead' });
      expect(taskOf(task.id)).toMatchObject({ title: 'Schedule the second interview', description: 'with the team lead', completed: false });
      expect(await act('recruitee.completeTask', { taskId: String(task.id) })).toMatchObject({ id: task.id, completed: true });
      expect(taskOf(task.id)).toMatchObject({ completed: true, completed_at: expect.any(String) as string });
      expect(await act('recruitee.completeTask', { taskId: task.id, completed: false })).toMatchObject({ id: task.id, completed: false });
      expect(taskOf(task.id)).toMatchObject({ completed: false, completed_at: null });
      const { tasks } = await act<{ tasks: Task[] }>('recruitee.listTasks', { candidateId: tom.id });
      expect(tasks.map((t) => [t.title, t.completed])).toEqual([
        ['Send the assessment (v2)', true],
        ['Schedule the second interview', false],
      ]);
    });

    it("getOfferStages → the job's pipeline stages in order", async () => {
      const out = await act<{ offer: unknown; pipeline: unknown; stages: Array<{ id: number; name: string; category: string }> }>('recruitee.getOfferStages', { offerId: 800001 });
      expect(out.offer).toEqual({ id: 800001, title: 'Sales Rep' });
      expect(out.pipeline).toEqual({ id: 600001, title: 'Sales Rep pipeline' });
      expect(out.stages.map((st) => [st.name, st.category])).toEqual([
        ['Referred', 'referred'], ['Sourced', 'sourced'], ['Applied', 'apply'], ['Phone interview', 'phone_screen'],
        ['On-site interview', 'interview'], ['Evaluation', 'evaluation'], ['Offer', 'offer'], ['Hired', 'hire'],
      ]);
      expect(out.stages[0]!.id).toBe(9000001);
    });

    it('pushContactView → the GHL view (read from the sandbox) as one note, written again only when it changed', async () => {
      const contact = await only('tom.tasker@example.com');
      const views = () => notesOf(tom.id).filter((n) => isContactViewNote(n.body));
      const view = await readContactView(bridge.ghl, contact.id, { locationId: bridge.locationId });
      const first = await act<{ noteId: number; created: boolean; updated: boolean }>('recruitee.pushContactView', { candidateId: tom.id, contactView: view });
      expect(first).toEqual({ noteId: expect.any(Number) as number, created: true, updated: false });
      expect(views().map((n) => n.id)).toEqual([first.noteId]);
      expect(views()[0]!.body).toContain('Send the assessment (v2)');
      expect(views()[0]!.body).toContain('Taskmaster');
      expect(await act('recruitee.pushContactView', { candidateId: tom.id, contactView: view })).toEqual({ noteId: first.noteId, created: false, updated: false });

      await bridge.ghl.notes.create(contact.id, { body: 'Prefers a remote role' }, { locationId: bridge.locationId });
      const changed = await readContactView(bridge.ghl, contact.id, { locationId: bridge.locationId });
      expect(await act('recruitee.pushContactView', { candidateId: tom.id, contactView: changed })).toEqual({ noteId: first.noteId, created: false, updated: true });
      expect(views()).toHaveLength(1);
      expect(views()[0]!.body).toContain('Prefers a remote role');
    });

    it('a bad action input is refused before any call, naming the field', async () => {
      const requests = fake.requests.length;
      await expect(apps.run(CONNECTION, 'recruitee.addNote', { candidateId: 'abc', body: 'x' })).rejects.toThrow(/candidateId/);
      await expect(apps.run(CONNECTION, 'recruitee.pushContactView', { candidateId: tom.id })).rejects.toThrow(/contactView: required/);
      expect(fake.requests).toHaveLength(requests);
    });

    it('executed every recruitee catalog entry', () => {
      expect(coverage.ids).toHaveLength(21);
      coverage.assertComplete();
    });
  });
});
