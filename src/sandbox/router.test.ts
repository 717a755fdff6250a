import { describe, expect, it } from 'vitest';
import { routes } from '../spec/index.js';
import { Router } from './router.js';

const router = new Router(routes.map((r) => ({ method: r.method, path: r.path, value: r.operationId })));

function op(method: string, path: string): string | undefined {
  const m = router.match(method, path);
  return m.kind === 'found' ? m.value : m.kind;
}

describe('router over the generated route table', () => {
  it('matches literal paths before parameters, like the real API', () => {
    expect(op('POST', '/contacts/search')).toBe('search-contacts-advanced');
    expect(op('GET', '/contacts/search/duplicate')).toBe('get-duplicate-contact');
    expect(op('POST', '/contacts/upsert')).toBe('upsert-contact');
    expect(op('GET', '/contacts/business/abc')).toBe('get-contacts-by-businessId');
    expect(op('POST', '/contacts/bulk/business')).toBe('add-remove-contact-from-business');
    expect(op('POST', '/contacts/bulk/tags/update/add')).toBe('create-association');
    expect(op('DELETE', '/contacts/c1/campaigns/removeAll')).toBe('remove-contact-from-every-campaign');
    expect(op('DELETE', '/contacts/c1/campaigns/camp1')).toBe('remove-contact-from-campaign');
    expect(op('GET', '/contacts/abc')).toBe('get-contact');
  });

  it('treats a trailing slash as optional and decodes parameters', () => {
    expect(op('GET', '/contacts/')).toBe('get-contacts');
    expect(op('GET', '/contacts')).toBe('get-contacts');
    const m = router.match('GET', '/contacts/a%20b');
    expect(m).toEqual({ kind: 'found', value: 'get-contact', params: { contactId: 'a b' } });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(router.match('PATCH', '/contacts/abc')).toEqual({ kind: 'method-not-allowed', allowed: ['DELETE', 'GET', 'PUT'] });
    expect(op('GET', '/nope')).toBe('not-found');
    expect(op('GET', '/contacts/a/b/c/d/e')).toBe('not-found');
    expect(op('GET', '/contacts/%E0%A4%A')).toBe('not-found');
  });

  it('covers all 32 contacts operations and 3 OAuth operations', () => {
    expect(routes.filter((r) => r.module === 'contacts')).toHaveLength(32);
    expect(routes.filter((r) => r.module === 'oauth')).toHaveLength(3);
  });
});
