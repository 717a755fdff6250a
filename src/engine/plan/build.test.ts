import { describe, expect, it } from 'vitest';
import type { RecipeEvaluation } from '../recipes/types.js';
import { buildPlan } from './build.js';
import { fieldsHash } from './hash.js';
import type { LedgerEntry } from './types.js';

const evaluation = (contact: Record<string, unknown>, actions: RecipeEvaluation['actions']): RecipeEvaluation => ({ matched: true, recordId: 'r1', contact, actions, errors: [] });
const linked = (fields: Record<string, unknown>, tags: string[] = []): LedgerEntry => ({ kind: 'contact', sourceId: 'r1', ghlId: 'G1', fieldsHash: fieldsHash(fields), fields: { ...fields, tags } });

describe('buildPlan', () => {
  it('upserts an unlinked record with its fields and the location', () => {
    const plan = buildPlan({ evaluation: evaluation({ email: 'a@b.co' }, [{ type: 'upsertContact' }]), locationId: 'L', ledger: [] });
    expect(plan.calls).toMatchObject([{ step: 1, operationId: 'upsert-contact', body: { email: 'a@b.co', locationId: 'L' }, idempotent: true, produces: { kind: 'contact', sourceId: 'r1' } }]);
    expect(plan.contactId).toBeNull();
  });

  it('skips unchanged content and sends only changed fields', () => {
    const same = buildPlan({ evaluation: evaluation({ email: 'a@b.co', firstName: 'A' }, [{ type: 'upsertContact' }]), locationId: 'L', ledger: [linked({ email: 'a@b.co', firstName: 'A' })] });
    expect(same.calls).toEqual([]);
    expect(same.skipped).toEqual([{ action: 'upsertContact', reason: 'contact fields unchanged since the last write' }]);
    const changed = buildPlan({ evaluation: evaluation({ email: 'a@b.co', firstName: 'B' }, [{ type: 'upsertContact' }]), locationId: 'L', ledger: [linked({ email: 'a@b.co', firstName: 'A' })] });
    expect(changed.calls).toMatchObject([{ operationId: 'update-contact', path: '/contacts/{contactId}', body: { firstName: 'B' }, diff: [{ field: 'firstName', from: 'A', to: 'B' }] }]);
  });

  it('sends a changed companyName by upsert (the update does not take it), found by email or phone', () => {
    const plan = buildPlan({ evaluation: evaluation({ email: 'a@b.co', companyName: 'New', firstName: 'B' }, [{ type: 'upsertContact' }]), locationId: 'L', ledger: [linked({ email: 'a@b.co', companyName: 'Old', firstName: 'A' })] });
    expect(plan.calls).toMatchObject([
      { operationId: 'update-contact', body: { email: 'a@b.co', firstName: 'B' }, diff: [{ field: 'firstName', from: 'A', to: 'B' }], partial: true },
      { operationId: 'upsert-contact', path: '/contacts/upsert', body: { companyName: 'New', email: 'a@b.co', locationId: 'L' }, diff: [{ field: 'companyName', from: 'Old', to: 'New' }] },
    ]);
    expect(plan.calls[1]!.body).not.toHaveProperty('firstName');
    expect(plan.calls[1]!.partial).toBeUndefined();
    // only the company changed: the PUT re-asserts the email, so the upsert cannot land elsewhere
    const companyOnly = buildPlan({ evaluation: evaluation({ email: 'a@b.co', companyName: 'New' }, [{ type: 'upsertContact' }]), locationId: 'L', ledger: [linked({ email: 'a@b.co', companyName: 'Old' })] });
    expect(companyOnly.calls.map((c) => [c.operationId, c.body, c.diff.length])).toEqual([
      ['update-contact', { email: 'a@b.co' }, 0],
      ['upsert-contact', { companyName: 'New', email: 'a@b.co', locationId: 'L' }, 1],
    ]);
    // a new email goes by PUT first, so the upsert finds the same contact by it
    const moved = buildPlan({ evaluation: evaluation({ email: 'new@b.co', companyName: 'New', firstName: 'A' }, [{ type: 'upsertContact' }]), locationId: 'L', ledger: [linked({ email: 'a@b.co', companyName: 'Old', firstName: 'A' })] });
    expect(moved.calls.map((c) => [c.operationId, c.body])).toEqual([
      ['update-contact', { email: 'new@b.co' }],
      ['upsert-contact', { companyName: 'New', email: 'new@b.co', locationId: 'L' }],
    ]);
    const anonymous = buildPlan({ evaluation: evaluation({ companyName: 'New', firstName: 'B' }, [{ type: 'upsertContact' }]), locationId: 'L', ledger: [linked({ companyName: 'Old', firstName: 'A' })] });
    expect(anonymous.calls.map((c) => [c.operationId, c.body, c.partial])).toEqual([['update-contact', { firstName: 'B' }, true]]);
    expect(anonymous.skipped[0]!.reason).toContain('companyName changed, but only an upsert writes it');
  });

  it('plans tags as add/remove diffs across actions, and creates a task once then updates it', () => {
    const plan = buildPlan({
      evaluation: evaluation({ tags: ['vip'] }, [
        { type: 'upsertContact' },
        { type: 'tags', add: ['vip', 'pro'], remove: [], managed: ['free', 'pro'] },
        { type: 'task', sourceId: 't1', fields: { title: 'Call', dueDate: '2026-12-01T10:00:00.000Z' } },
      ]),
      locationId: 'L',
      ledger: [linked({}, ['free']), { kind: 'task', sourceId: 't1', ghlId: 'T9', fieldsHash: null, fields: { title: 'Call', dueDate: '2026-12-01T10:00:00.000Z' } }],
    });
    expect(plan.calls.map((c) => [c.operationId, c.body])).toEqual([
      ['add-tags', { tags: ['vip'] }],
      ['add-tags', { tags: ['pro'] }],
      ['remove-tags', { tags: ['free'] }],
    ]);
    expect(plan.skipped.map((s) => s.action)).toEqual(['upsertContact', 'task:t1']);
  });

  it('follows the deletion policy and audits a delete', () => {
    const del = buildPlan({ evaluation: evaluation({}, [{ type: 'deleteContact', policy: 'delete', tag: 'inactive' }]), locationId: 'L', ledger: [linked({})] });
    expect(del.calls).toMatchObject([{ operationId: 'delete-contact', diff: [{ field: 'contact', from: 'exists', to: 'deleted' }] }]);
    const tag = buildPlan({ evaluation: evaluation({}, [{ type: 'deleteContact', policy: 'tag', tag: 'inactive' }]), locationId: 'L', ledger: [linked({}, ['x'])] });
    expect(tag.calls).toMatchObject([{ operationId: 'add-tags', body: { tags: ['inactive'] } }]);
    const none = buildPlan({ evaluation: evaluation({}, [{ type: 'deleteContact', policy: 'delete', tag: 'inactive' }]), locationId: 'L', ledger: [] });
    expect(none.calls).toEqual([]);
  });
});
