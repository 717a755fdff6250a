import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recruiteeActions } from './actions.js';
import { recruiteeConnection, type RecruiteeConn } from './connection.js';
import { isContactViewNote, renderContactView } from './contact-view.js';
import { createRecruiteeFake, type RecruiteeFake } from './fake.js';

let fake: RecruiteeFake;
let conn: RecruiteeConn;

beforeAll(async () => {
  fake = await createRecruiteeFake({ companyId: 90001, token: 'tok', webhookSecret: 's' });
  conn = recruiteeConnection({ id: 'rc', app: 'recruitee', source: 'recruitee', config: { baseUrl: fake.url, companyId: 90001, companyName: 'Acme BV' }, secrets: { token: 'tok' } });
});
afterAll(() => fake.close());

async function run(id: string, input: unknown): Promise<Record<string, unknown>> {
  const action = recruiteeActions.find((a) => a.id === id);
  if (!action) throw new Error(`no action ${id}`);
  const parsed = action.input.safeParse(input);
  if (!parsed.success) throw new Error(`${id}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return (await action.run({ conn }, parsed.data)) as Record<string, unknown>;
}

const view = {
  contact: { id: 'c1', firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com', phone: '+31612345678', tags: ['candidate', 'interviewed'] },
  tasks: [{ title: 'Send <contract>', dueDate: '2026-02-01T09:00:00Z', completed: false }],
  notes: [{ body: 'Met at the fair', dateAdded: '2026-01-10T09:00:00Z' }],
  appointments: [{ title: 'Interview', startTime: '2026-02-03T10:00:00Z', appointmentStatus: 'confirmed' }],
};

describe('Recruitee actions', () => {
  it('declares catalog ids, endpoints and strict inputs', () => {
    const ids = recruiteeActions.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['recruitee.getCandidate', 'recruitee.updateCandidate', 'recruitee.addNote', 'recruitee.createTask', 'recruitee.updateTask', 'recruitee.completeTask', 'recruitee.listCandidates', 'recruitee.pushContactView']));
    for (const a of recruiteeActions) {
      expect(a.id).toMatch(/^recruitee\.[a-zA-Z]+$/);
      expect(a.endpoint).toMatch(/^(GET|POST|PATCH|DELETE) \/c\/\{company_id\}\//);
      expect(a.output).toHaveProperty('type');
    }
    const add = recruiteeActions.find((a) => a.id === 'recruitee.addNote')!;
    expect(add.input.safeParse({ candidateId: 1, body: 'x', extra: 1 }).success).toBe(false);
    const r = add.input.safeParse({ candidateId: 'abc', body: 'x' });
    expect(r.success).toBe(false);
  });

  it('reads, lists and updates candidates', async () => {
    const jane = await fake.addCandidate({ name: 'Jane Doe', emails: ['jane@example.com'] });
    expect(await run('recruitee.getCandidate', { candidateId: String(jane.id) })).toMatchObject({ id: jane.id, firstName: 'Jane', company: 'Acme BV', stage: { category: 'apply' } });
    expect(await run('recruitee.updateCandidate', { candidateId: jane.id, name: 'Jane Smith', phones: ['+31612345678'] })).toMatchObject({ lastName: 'Smith', phone: '+31612345678' });
    expect(fake.state().candidates.find((c) => c.id === jane.id)!.name).toBe('Jane Smith');
    const page = await run('recruitee.listCandidates', { limit: 10 });
    expect(page).toMatchObject({ more: false, candidates: [expect.objectContaining({ id: jane.id })] });
    await expect(run('recruitee.updateCandidate', { candidateId: jane.id })).rejects.toThrow(/nothing to update/);
  });

  it('adds, lists and updates notes; creates, updates and completes tasks; reads stages', async () => {
    const c = await fake.addCandidate({ name: 'Tom Task' });
    const note = await run('recruitee.addNote', { candidateId: c.id, body: 'First call done' });
    await run('recruitee.updateNote', { candidateId: c.id, noteId: note.id, body: 'First call done, keen' });
    expect(await run('recruitee.listNotes', { candidateId: c.id })).toMatchObject({ notes: [{ id: note.id, text: 'First call done, keen' }] });
    const task = await run('recruitee.createTask', { candidateId: c.id, title: 'Send test', dueDate: '2026-03-01T10:00:00Z' });
    expect(task).toMatchObject({ title: 'Send test', hasDueDate: true, completed: false });
    expect(await run('recruitee.updateTask', { taskId: task.id, title: 'Send coding test' })).toMatchObject({ title: 'Send coding test' });
    expect(await run('recruitee.completeTask', { taskId: task.id })).toMatchObject({ completed: true });
    expect(await run('recruitee.listTasks', { candidateId: c.id })).toMatchObject({ tasks: [{ id: task.id, completed: true }] });
    const stages = await run('recruitee.getOfferStages', { offerId: 800002 });
    expect(stages).toMatchObject({ offer: { id: 800002, title: 'Account Manager' } });
    expect((stages.stages as Array<{ category: string }>).map((s) => s.category)).toContain('hire');
  });

  it('pushes the GHL contact view as one note, updated in place, untouched when unchanged', async () => {
    const c = await fake.addCandidate({ name: 'Vera View' });
    fake.addNote(c.id, 'A recruiter note');
    await expect(run('recruitee.pushContactView', { candidateId: c.id })).rejects.toThrow(/contactView/);
    expect(await run('recruitee.pushContactView', { candidateId: c.id, contactView: view })).toMatchObject({ created: true, updated: false });
    expect(await run('recruitee.pushContactView', { candidateId: c.id, contactView: view })).toMatchObject({ created: false, updated: false });
    const changed = { ...view, tasks: [{ ...view.tasks[0], completed: true }] };
    expect(await run('recruitee.pushContactView', { candidateId: c.id, contactView: changed })).toMatchObject({ created: false, updated: true });
    const notes = fake.state().notes.filter((n) => n.candidate_id === c.id);
    expect(notes).toHaveLength(2);
    const viewNote = notes.find((n) => isContactViewNote(n.body))!;
    expect(viewNote.body).toContain('[done] Send &lt;contract&gt;');
    expect(viewNote.body).toContain('Interview at 2026-02-03 10:00 (confirmed)');
  });

  it('renders every part of the view, escaped', () => {
    const html = renderContactView(view);
    expect(html).toMatch(/^<p><strong>HighLevel contact view<\/strong>: Jane Doe<\/p>/);
    expect(html).toContain('Tags: candidate, interviewed');
    expect(html).toContain('Send &lt;contract&gt; (due 2026-02-01 09:00)');
    expect(html).toContain('2026-01-10 09:00: Met at the fair');
    expect(renderContactView({ contact: {} })).toContain('<strong>Tasks</strong>: none');
  });
});
