import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PollPage, Poller, SourceEvent } from '../types.js';
import { recruiteeConnection, type RecruiteeConn } from './connection.js';
import { renderContactView } from './contact-view.js';
import { createRecruiteeFake, type RecruiteeFake, type RecruiteeFakeOptions } from './fake.js';
import { listAllCandidates, pollChangedCandidates, pollNotes, pollTasks, type ChangedCursor } from './poll.js';
import type { Note, Task } from './schemas.js';

let fake: RecruiteeFake;

beforeEach(async () => {
  fake = await createRecruiteeFake({ companyId: 90001, token: 'tok', webhookSecret: 's' });
});
/** A fake with other options (closed by afterEach like the default one). */
async function refake(options: Partial<RecruiteeFakeOptions>): Promise<void> {
  await fake.close();
  fake = await createRecruiteeFake({ companyId: 90001, token: 'tok', webhookSecret: 's', ...options });
}
afterEach(() => fake.close());

const connFor = (config: Record<string, unknown> = {}): RecruiteeConn =>
  recruiteeConnection({ id: 'rc', app: 'recruitee', source: 'recruitee', config: { baseUrl: fake.url, companyId: 90001, pageSize: 2, overlapSeconds: 0, ...config }, secrets: { token: 'tok' } });

/** One full poll: every page, like the runtime. */
async function pollAll(poller: Poller<RecruiteeConn>, conn: RecruiteeConn, cursor: unknown, now = Date.now()): Promise<{ events: SourceEvent[]; cursor: unknown; pages: number }> {
  const events: SourceEvent[] = [];
  let page: PollPage;
  let pages = 0;
  do {
    page = await poller({ conn, cursor, now });
    events.push(...page.events);
    cursor = page.cursor;
    pages++;
  } while (page.more);
  return { events, cursor, pages };
}

const add = (n: number) => fake.addCandidate({ name: `Person ${n}`, emails: [`p${n}@example.com`] });

describe('recruitee.candidates.changed', () => {
  it('emits every candidate once over several pages, then only changes, keyed by id + updated_at', async () => {
    const people = [];
    for (let i = 1; i <= 5; i++) people.push(await add(i));
    const conn = connFor();
    const first = await pollAll(pollChangedCandidates, conn, null);
    expect(first.pages).toBe(3);
    expect(first.events.map((e) => e.externalId).sort()).toEqual(people.map((p) => `candidate:${p.id}:${p.updated_at}`).sort());
    expect(first.events.every((e) => e.type === 'candidate.created')).toBe(true);
    const last = people.at(-1)!;
    expect(first.cursor).toEqual({ since: last.updated_at, id: last.id });

    expect((await pollAll(pollChangedCandidates, conn, first.cursor)).events).toEqual([]);

    const changed = await fake.updateCandidate(people[1]!.id, { phones: ['+31612345678'] }, { webhook: false });
    const second = await pollAll(pollChangedCandidates, conn, first.cursor);
    expect(second.events).toHaveLength(1);
    expect(second.events[0]).toMatchObject({ externalId: `candidate:${changed.id}:${changed.updated_at}`, type: 'candidate.updated' });
    expect(second.events[0]!.payload).toMatchObject({ origin: 'poll', candidate: { phone: '+31612345678', stage: { category: 'apply' }, status: 'active' }, summary: 'Candidate Person 2 updated in Recruitee' });
  });

  it('sends the watermark as filters_json updated_at gte (seconds)', async () => {
    await add(1);
    const conn = connFor();
    const { cursor } = await pollAll(pollChangedCandidates, conn, null);
    const before = fake.requests.length;
    await pollAll(pollChangedCandidates, conn, cursor);
    const url = new URL(fake.requests[before]!.path, 'http://x');
    expect(url.pathname).toBe('/c/90001/search/new/candidates');
    expect(JSON.parse(url.searchParams.get('filters_json')!)).toEqual([{ field: 'updated_at', gte: Math.floor(Date.parse((cursor as ChangedCursor).since!) / 1000) }]);
  });

  it('never moves the watermark past (pass start - overlap): re-reads give the same ids', async () => {
    const a = await add(1);
    const conn = connFor({ overlapSeconds: 60 });
    const now = Date.now();
    const first = await pollAll(pollChangedCandidates, conn, null, now);
    // the candidate is newer than now - 60 s: the watermark stops there, before it
    expect(Date.parse((first.cursor as ChangedCursor).since!)).toBe(now - 60_000);
    expect(first.events).toHaveLength(1);
    const again = await pollAll(pollChangedCandidates, conn, first.cursor);
    expect(again.events.map((e) => e.externalId)).toEqual([`candidate:${a.id}:${a.updated_at}`]);
    const later = await pollAll(pollChangedCandidates, conn, first.cursor, Date.now() + 120_000);
    expect((later.cursor as ChangedCursor).since).toBe(a.updated_at);
  });

  it('catches a change made to a page already read during the pass', async () => {
    const people = [];
    for (let i = 1; i <= 4; i++) people.push(await add(i));
    const conn = connFor();
    const start = await pollAll(pollChangedCandidates, conn, null);
    await fake.updateCandidate(people[0]!.id, { name: 'P1' }, { webhook: false });
    await fake.updateCandidate(people[3]!.id, { name: 'P4' }, { webhook: false });
    // page 1 (newest first: P4, Person 3) is read, then P4 changes again, then the pass ends
    const page1 = await pollChangedCandidates({ conn, cursor: start.cursor, now: Date.now() });
    const p4 = await fake.updateCandidate(people[3]!.id, { name: 'P4 again' }, { webhook: false });
    let page = page1;
    while (page.more) page = await pollChangedCandidates({ conn, cursor: page.cursor, now: Date.now() });
    const next = await pollAll(pollChangedCandidates, conn, page.cursor);
    expect(next.events.map((e) => e.externalId)).toContain(`candidate:${p4.id}:${p4.updated_at}`);
  });

  it('holds the watermark when a deletion shifts the pages during a pass', async () => {
    const people = [];
    for (let i = 1; i <= 5; i++) people.push(await add(i));
    const conn = connFor();
    const page1 = await pollChangedCandidates({ conn, cursor: null, now: Date.now() });
    await fake.deleteCandidate(people[4]!.id); // on page 1: Person 3 moves onto page 1 and is never read in this pass
    let page = page1;
    const seen = [...page1.events];
    while (page.more) {
      page = await pollChangedCandidates({ conn, cursor: page.cursor, now: Date.now() });
      seen.push(...page.events);
    }
    expect(seen.map((e) => e.externalId)).not.toContain(`candidate:${people[2]!.id}:${people[2]!.updated_at}`);
    expect(page.cursor).toEqual({ since: null, id: 0 });
    const next = await pollAll(pollChangedCandidates, conn, page.cursor);
    expect(next.events.map((e) => e.externalId)).toContain(`candidate:${people[2]!.id}:${people[2]!.updated_at}`);
  });

  it('a candidate created after the watermark is candidate.created although Recruitee touched it after creation', async () => {
    const old = await add(1);
    const conn = connFor();
    const first = await pollAll(pollChangedCandidates, conn, null, Date.now() + 1000);
    // the first pass is a backfill: created, but no "New candidate" note key
    expect(first.events.map((e) => [e.type, e.payload.noteKey])).toEqual([['candidate.created', null]]);
    const fresh = await add(2);
    expect(fresh.updated_at > String(fresh.created_at)).toBe(true);
    await fake.updateCandidate(old.id, { name: 'Person One' }, { webhook: false });
    const next = await pollAll(pollChangedCandidates, conn, first.cursor);
    const byId = new Map(next.events.map((e) => [(e.payload.candidate as { id: number }).id, e]));
    expect(byId.get(fresh.id)).toMatchObject({ type: 'candidate.created', payload: { noteKey: `candidate:${fresh.id}:created`, summary: 'New candidate Person 2 from manual for Sales Rep' } });
    expect(byId.get(old.id)).toMatchObject({ type: 'candidate.updated', payload: { noteKey: null } });
  });

  it('follows total, not the page length: a search page shorter than asked does not end the pass', async () => {
    await refake({ searchMaxLimit: 2 });
    const people = [];
    for (let i = 1; i <= 5; i++) people.push(await add(i));
    const conn = connFor({ pageSize: 3 });
    // (a pass started after the last change: the watermark may reach it)
    const first = await pollAll(pollChangedCandidates, conn, null, Date.now() + 1000);
    expect(first.events.map((e) => e.externalId).sort()).toEqual(people.map((p) => `candidate:${p.id}:${p.updated_at}`).sort());
    expect(first.pages).toBe(3);
    const last = people.at(-1)!;
    expect(first.cursor).toEqual({ since: last.updated_at, id: last.id });
  });

  it('a page with no hits ends the pass without moving the watermark', async () => {
    for (let i = 1; i <= 3; i++) await add(i);
    const conn = connFor();
    const page1 = await pollChangedCandidates({ conn, cursor: null, now: Date.now() });
    expect(page1.more).toBe(true);
    // every candidate on page 2 disappears: page 2 answers no hits while read (2) < total (3) as first seen
    for (const c of fake.state().candidates) await fake.deleteCandidate(c.id, { webhook: false });
    const page2 = await pollChangedCandidates({ conn, cursor: page1.cursor, now: Date.now() });
    expect(page2).toEqual({ events: [], cursor: { since: null, id: 0 }, more: false });
  });
});

describe('recruitee.notes.changed and recruitee.tasks.changed', () => {
  it('emits each note and task with the candidate; an edit gets a new id, an unchanged one the same', async () => {
    const a = await add(1);
    const b = await add(2);
    await add(3);
    const note = fake.addNote(a.id, '<p>Strong <b>closer</b></p>');
    fake.addNote(b.id, 'Prefers mornings');
    const task = fake.addTask(b.id, { title: 'Call back', dueDate: '2026-02-01T09:00:00Z' });
    const conn = connFor();

    const notes = await pollAll(pollNotes, conn, null);
    expect(notes.events).toHaveLength(2);
    expect(notes.cursor).toMatchObject({ offset: 0 });
    const ofA = notes.events.find((e) => (e.payload.candidate as { id: number }).id === a.id)!;
    expect(ofA.type).toBe('note.changed');
    expect(ofA.payload.note).toMatchObject({ id: note.id, text: 'Strong closer', author: 'Rita Recruiter' } satisfies Partial<Note>);
    expect(ofA.payload.candidate).toMatchObject({ firstName: 'Person', email: 'p1@example.com' });
    // candidates without notes cost no notes request
    expect(fake.requests.filter((r) => r.path.endsWith('/notes'))).toHaveLength(2);

    const again = await pollAll(pollNotes, conn, notes.cursor);
    expect(again.events.map((e) => e.externalId).sort()).toEqual(notes.events.map((e) => e.externalId).sort());
    fake.updateNote(note.id, 'Strong closer, wants remote');
    const edited = await pollAll(pollNotes, conn, again.cursor);
    const editedA = edited.events.find((e) => (e.payload.note as Note).id === note.id)!;
    expect(editedA.externalId).not.toBe(ofA.externalId);

    const tasks = await pollAll(pollTasks, conn, null);
    expect(tasks.events).toHaveLength(1);
    expect(tasks.events[0]!.payload.task).toMatchObject({ id: task.id, title: 'Call back', dueDate: '2026-02-01T09:00:00Z', completed: false } satisfies Partial<Task>);
    fake.completeTask(task.id);
    const done = await pollAll(pollTasks, conn, tasks.cursor);
    expect(done.events[0]!.payload.task).toMatchObject({ completed: true });
    expect(done.events[0]!.externalId).not.toBe(tasks.events[0]!.externalId);
  });
});

describe('note and task generations', () => {
  it('done → reopened → done: three events, while a re-poll with the same cursor reuses the ids', async () => {
    const a = await add(1);
    const task = fake.addTask(a.id, { title: 'Call back', dueDate: '2026-02-01T09:00:00Z' });
    const conn = connFor();
    const ids: string[] = [];
    let cursor: unknown = null;
    for (const completed of [false, true, false, true]) {
      if (completed !== fake.state().tasks.find((t) => t.id === task.id)!.completed) fake.completeTask(task.id, completed);
      const before = cursor;
      const polled = await pollAll(pollTasks, conn, before);
      expect(polled.events.map((e) => (e.payload.task as Task).completed)).toEqual([completed]);
      // a crash before the cursor was stored: the same cursor gives the same id (deduplicated)
      expect((await pollAll(pollTasks, conn, before)).events.map((e) => e.externalId)).toEqual(polled.events.map((e) => e.externalId));
      ids.push(polled.events[0]!.externalId);
      cursor = polled.cursor;
    }
    expect(new Set(ids).size).toBe(4);
    // the first generation keeps the plain form (ids stored before generations existed still match)
    expect(ids[0]).toMatch(new RegExp(`^task:${task.id}:[0-9a-f]{16}$`));
    expect(ids[2]).toMatch(new RegExp(`^task:${task.id}:[0-9a-f]{16}:g2$`));
    // nothing changed: the same id again
    expect((await pollAll(pollTasks, conn, cursor)).events.map((e) => e.externalId)).toEqual([ids[3]]);
  });

  it('a note edited back to an earlier text is a new event', async () => {
    const a = await add(1);
    const note = fake.addNote(a.id, 'First');
    const conn = connFor();
    const one = await pollAll(pollNotes, conn, null);
    fake.updateNote(note.id, 'Second');
    const two = await pollAll(pollNotes, conn, one.cursor);
    fake.updateNote(note.id, 'First');
    const three = await pollAll(pollNotes, conn, two.cursor);
    const ids = [one, two, three].map((p) => p.events[0]!.externalId);
    expect(new Set(ids).size).toBe(3);
  });

  it('skips the GHL contact view note this connector wrote (it would come back into GHL as a note)', async () => {
    const a = await add(1);
    fake.addNote(a.id, renderContactView({ contact: { firstName: 'Person', lastName: '1', email: 'p1@example.com' }, tasks: [], notes: [], appointments: [] }));
    fake.addNote(a.id, 'A real note');
    const polled = await pollAll(pollNotes, connFor(), null);
    expect(polled.events.map((e) => (e.payload.note as Note).text)).toEqual(['A real note']);
  });
});

describe('listAll', () => {
  it('lists every candidate as a sync event', async () => {
    for (let i = 1; i <= 3; i++) await add(i);
    const events: SourceEvent[] = [];
    for await (const e of listAllCandidates(connFor())) events.push(e);
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.externalId.startsWith('sync:candidate:') && e.payload.origin === 'sync')).toBe(true);
  });
});
