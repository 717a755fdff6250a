import { describe, expect, it } from 'vitest';
import { recruiteeConnection, RecruiteeConnectionError } from './connection.js';

const stored = (config: Record<string, unknown>, secrets: Record<string, string> = { token: 'tok-secret-123' }) => ({ id: 'rc', app: 'recruitee', source: 'recruitee', config, secrets });

function fails(config: Record<string, unknown>, secrets?: Record<string, string>): RecruiteeConnectionError {
  try {
    recruiteeConnection(stored(config, secrets));
  } catch (e) {
    expect(e).toBeInstanceOf(RecruiteeConnectionError);
    return e as RecruiteeConnectionError;
  }
  throw new Error('expected a RecruiteeConnectionError');
}

describe('recruiteeConnection', () => {
  it('applies the defaults', () => {
    const conn = recruiteeConnection(stored({ companyId: 90001 }));
    expect(conn.config).toMatchObject({ baseUrl: 'https://api.recruitee.com', companyId: '90001', refetch: true, pageSize: 100 });
    expect(conn.eventTypes.candidate_moved).toBe('candidate.stage_changed');
  });

  it('names the field at fault', () => {
    expect(fails({}).field).toBe('config.companyId');
    expect(fails({ companyId: 'a b' }).field).toBe('config.companyId');
    expect(fails({ companyId: 1, baseUrl: 'ftp://x' }).field).toBe('config.baseUrl');
    expect(fails({ companyId: 1, pagesize: 5 }).message).toContain('pagesize');
    expect(fails({ companyId: 1, eventTypes: { new_candidate: 'candidate.made' } }).field).toBe('config.eventTypes.new_candidate');
    expect(fails({ companyId: 1 }, {}).field).toBe('secrets.token');
  });

  it('merges configured event types over the defaults', () => {
    const conn = recruiteeConnection(stored({ companyId: 1, eventTypes: { applicant_added: 'candidate.created', candidate_deleted: 'candidate.updated' } }));
    expect(conn.eventTypes.applicant_added).toBe('candidate.created');
    expect(conn.eventTypes.candidate_deleted).toBe('candidate.updated');
    expect(conn.eventTypes.new_candidate).toBe('candidate.created');
  });

  it('keeps secrets out of the connection object and its errors', () => {
    const conn = recruiteeConnection(stored({ companyId: 1 }, { token: 'tok-secret-123', webhookSecret: 'whs-secret-456' }));
    const text = JSON.stringify(conn);
    expect(text).not.toContain('tok-secret-123');
    expect(text).not.toContain('whs-secret-456');
    expect(fails({ companyId: 'bad id' }, { token: 'tok-secret-123' }).message).not.toContain('tok-secret-123');
  });

  it('accepts no webhook without a webhook secret', () => {
    const conn = recruiteeConnection(stored({ companyId: 1 }));
    expect(conn.verifySignature({ rawBody: '{}', headers: { 'x-recruitee-signature': 'ab' } })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});
