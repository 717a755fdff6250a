import { describe, expect, it } from 'vitest';
import { candidateStateId, fromMicros, htmlToText, indexReferences, normalizeCandidate, normalizeNote, normalizeTask, offerStages, resolveStage, toMicros } from './normalize.js';

const refs = indexReferences([
  { type: 'Offer', id: 800001, title: 'Sales Rep' },
  { type: 'Stage', id: 9000004, name: 'Phone interview', category: 'phone_screen' },
  { type: 'Admin', id: 300001, first_name: 'Rita', last_name: 'Recruiter' },
  { type: 'Stage' }, // no id: ignored
  'junk',
]);

describe('normalizeCandidate', () => {
  it('splits the name, picks the first email and phone, resolves the stage from references', () => {
    const c = normalizeCandidate(
      {
        id: 5000001,
        name: '  Jane   van der Berg ',
        emails: ['', 'jane@example.com', 'j2@example.com'],
        phones: ['+31612345678'],
        source: 'career_site',
        created_at: '2024-03-04T10:15:22.123456Z',
        updated_at: '2024-03-05T08:00:00.000001Z',
        placements: [
          { id: 1, offer_id: 800001, stage_id: 9000003, updated_at: '2024-03-04T10:15:23.000001Z' },
          { id: 2, offer_id: 800001, stage_id: 9000004, updated_at: '2024-03-05T08:00:00.000001Z' },
        ],
      },
      { references: refs, company: 'Acme BV' },
    );
    expect(c).toMatchObject({
      id: 5000001,
      name: 'Jane van der Berg',
      firstName: 'Jane',
      lastName: 'van der Berg',
      email: 'jane@example.com',
      emails: ['jane@example.com', 'j2@example.com'],
      phone: '+31612345678',
      company: 'Acme BV',
      stage: { id: 9000004, name: 'Phone interview', category: 'phone_screen' },
      offer: { id: 800001, title: 'Sales Rep' },
      status: 'active',
    });
  });

  it('reads "Last, First" names and single words', () => {
    expect(normalizeCandidate({ id: 1, name: 'Doe, Jane' })).toMatchObject({ firstName: 'Jane', lastName: 'Doe' });
    expect(normalizeCandidate({ id: 1, name: 'Cher' })).toMatchObject({ firstName: 'Cher', lastName: null });
    expect(normalizeCandidate({ id: 1, name: null })).toMatchObject({ name: null, firstName: null, lastName: null, email: null, phone: null });
  });

  it('derives the status: unknown without placements, unassigned, hired, disqualified', () => {
    expect(normalizeCandidate({ id: 1 }).status).toBeNull();
    expect(normalizeCandidate({ id: 1, placements: [] }).status).toBe('unassigned');
    expect(normalizeCandidate({ id: 1, placements: [{ id: 1, stage_id: 1, hired_at: '2024-01-01T00:00:00Z' }] }).status).toBe('hired');
    const dq = normalizeCandidate({ id: 1, placements: [{ id: 1, stage_id: 9000004, disqualify_kind: 'admin', disqualify_reason: 'Wrong skill set' }] }, { references: refs });
    expect(dq).toMatchObject({ status: 'disqualified', disqualifyReason: 'Wrong skill set' });
  });

  it('takes tags as strings or {name} objects', () => {
    expect(normalizeCandidate({ id: 1, tags: ['a', { id: 2, name: 'b' }, { id: 3 }] }).tags).toEqual(['a', 'b']);
  });
});

describe('resolveStage', () => {
  it('prefers the embedded stage (search hits), else the references, else keeps the bare id', () => {
    expect(resolveStage({ id: 1, stage: { id: 7, name: 'Offer', category: 'offer' } }, refs)).toEqual({ id: 7, name: 'Offer', category: 'offer' });
    expect(resolveStage({ id: 1, stage_id: 9000004 }, refs)).toEqual({ id: 9000004, name: 'Phone interview', category: 'phone_screen' });
    expect(resolveStage({ id: 1, stage_id: 42 }, refs)).toEqual({ id: 42, name: null, category: null });
    expect(resolveStage({ id: 1 }, refs)).toBeNull();
  });

  it('orders an offer template by position', () => {
    const stages = offerStages({ id: 1, pipeline_template: { stages: [{ id: 2, name: 'B', category: 'b', position: 1 }, { id: 1, name: 'A', category: 'a', position: 0 }] } });
    expect(stages.map((s) => s.id)).toEqual([1, 2]);
  });
});

describe('notes and tasks', () => {
  it('gives a note plain text and its author', () => {
    expect(normalizeNote({ id: 1, body: '<p>Great &amp; <b>sharp</b></p><p>Next: call</p>', admin: { first_name: 'Rita', last_name: 'R' } })).toMatchObject({ text: 'Great & sharp\nNext: call', author: 'Rita R' });
    expect(normalizeNote({ id: 2, body: 'x', admin_id: 300001 }, refs).author).toBe('Rita Recruiter');
  });

  it('falls back to created_at for a task without due date and reads completion', () => {
    expect(normalizeTask({ id: 3, title: 'Call', created_at: '2024-03-05T08:00:00Z' })).toMatchObject({ dueDate: '2024-03-05T08:00:00Z', hasDueDate: false, completed: false });
    expect(normalizeTask({ id: 3, title: 'Call', due_date: '2024-04-01T10:00:00Z', status: 'completed' })).toMatchObject({ dueDate: '2024-04-01T10:00:00Z', hasDueDate: true, completed: true });
    expect(normalizeTask({ id: 3, completed_at: '2024-04-01T10:00:00Z' }).completed).toBe(true);
  });

  it('strips markup', () => {
    expect(htmlToText('a<br>b &lt;c&gt;')).toBe('a\nb <c>');
  });
});

describe('timestamps', () => {
  it('keeps microseconds both ways', () => {
    const us = toMicros('2024-03-05T08:00:00.000001Z');
    expect(us % 1_000_000).toBe(1);
    expect(fromMicros(us)).toBe('2024-03-05T08:00:00.000001Z');
    expect(toMicros('2024-03-05T08:00:00Z')).toBe(Date.parse('2024-03-05T08:00:00Z') * 1000);
    expect(toMicros('2024-03-05T09:00:00.5+01:00')).toBe(Date.parse('2024-03-05T08:00:00Z') * 1000 + 500_000);
    expect(toMicros('yesterday')).toBeNaN();
  });

  it('keys a candidate state by id and updated_at', () => {
    expect(candidateStateId({ id: 5, updatedAt: '2024-03-05T08:00:00.000001Z' })).toBe('candidate:5:2024-03-05T08:00:00.000001Z');
  });
});
