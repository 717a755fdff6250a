import { describe, expect, it } from 'vitest';
import { CONNECTION_APPS } from '../engine/connections/types.js';
import { CONNECTION_KEYS, unknownConnectionKey } from './connection-keys.js';

describe('unknownConnectionKey', () => {
  it('refuses a misspelt secret of a ghl-location connection, naming the field and the right name', () => {
    expect(unknownConnectionKey('ghl-location', { locationId: 'L1', auth: 'pit' }, { pitt: 'pit-0123' })).toEqual({
      field: 'secrets.pitt',
      message: 'secrets.pitt: not a secret of a ghl-location connection (did you mean "pit"?); it takes pit, clientSecret',
    });
    // the source connector also reads `token`, the engine only `pit`: a `token` alone would write with nothing
    expect(unknownConnectionKey('ghl-location', {}, { token: 'x' })?.message).toContain('(did you mean "pit"?)');
    expect(unknownConnectionKey('ghl-location', { locatonId: 'L1' }, {})?.message).toMatch(/^config\.locatonId: not a setting of a ghl-location connection \(did you mean "locationId"\?\); it takes baseUrl, locationId, /);
    expect(unknownConnectionKey('ghl-location', { pit: 'x' }, {})).toEqual({ field: 'config.pit', message: 'config.pit: a secret of a ghl-location connection: pass it in secrets (sealed at rest), not in config' });
  });

  it('checks every app the same way', () => {
    expect(unknownConnectionKey('recruitee', { companyId: 1 }, { token: 't', webhookSecet: 's' })?.message).toBe('secrets.webhookSecet: not a secret of a recruitee connection (did you mean "webhookSecret"?); it takes token, webhookSecret');
    expect(unknownConnectionKey('connecteam', {}, { apikey: 'k' })?.field).toBe('secrets.apikey');
    expect(unknownConnectionKey('webhook', {}, { signingSecrets: 'whsec_x' })?.message).toContain('(did you mean "signingSecret"?)');
    expect(unknownConnectionKey('erp', { baseURL: 'https://erp.test' }, { apiKey: 'k' })?.message).toContain('(did you mean "baseUrl"?)');
    expect(unknownConnectionKey('ghl-agency', { companyId: 'C1' }, { clientSecrt: 's' })?.field).toBe('secrets.clientSecrt');
  });

  it('accepts what each connection really holds (the demo\'s and the docs\' connections)', () => {
    const good: Array<[(typeof CONNECTION_APPS)[number], Record<string, unknown>, Record<string, string>]> = [
      ['ghl-location', { locationId: 'L', auth: 'pit', baseUrl: 'http://x', webhookPublicKey: 'k', source: 'ghl' }, { pit: 'p' }],
      ['ghl-location', { locationId: 'L', auth: 'oauth', clientId: 'c' }, {}],
      ['ghl-agency', { companyId: 'C', clientId: 'c' }, { clientSecret: 's' }],
      ['recruitee', { baseUrl: 'http://x', companyId: 1, companyName: 'Acme' }, { token: 't', webhookSecret: 's' }],
      ['connecteam', { baseUrl: 'http://x' }, { apiKey: 'k', webhookSecret: 's' }],
      ['webhook', { source: 'my-app', sendUrl: 'http://x' }, { signingSecret: 's', sendSecret: 't' }],
      ['erp', { baseUrl: 'http://x', pageSize: 2, customers: { path: '/c' } }, { apiKey: 'k' }],
    ];
    for (const [app, config, secrets] of good) expect(unknownConnectionKey(app, config, secrets), app).toBeNull();
    expect(Object.keys(CONNECTION_KEYS).sort()).toEqual([...CONNECTION_APPS].sort());
  });

  it('escapes a name it quotes', () => {
    expect(unknownConnectionKey('erp', {}, { 'api\u001b[2JKey': 'k' })?.field).toBe('secrets.api\\u001b[2JKey');
  });
});
