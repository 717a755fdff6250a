import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { assertNoSecretsInConfig } from './config-guard.js';
import { InvalidConnectionError } from './errors.js';
import { Secrets } from './secrets.js';

describe('Secrets', () => {
  it('gives values by name and shows only names when printed or serialised', () => {
    const s = new Secrets({ token: 'pit-123-very-secret', clientSecret: 'cs-456' });
    expect(s.get('token')).toBe('pit-123-very-secret');
    expect(s.require('clientSecret')).toBe('cs-456');
    expect(s.names()).toEqual(['token', 'clientSecret']);
    expect(s.reveal()).toEqual({ token: 'pit-123-very-secret', clientSecret: 'cs-456' });
    for (const shown of [JSON.stringify({ connection: { secrets: s } }), String(s), inspect({ s }), `${s}`]) {
      expect(shown).not.toMatch(/pit-123|cs-456/);
    }
    expect(inspect(s)).toBe('Secrets(token, clientSecret) [redacted]');
    expect(() => s.require('apiKey')).toThrow('the connection has no secret "apiKey"');
  });
});

describe('assertNoSecretsInConfig', () => {
  it('refuses secret-looking settings at any depth and names the setting only', () => {
    expect(() => assertNoSecretsInConfig({ locationId: 'L1', auth: 'pit', clientId: 'c', tokenKey: 'location:L1' })).not.toThrow();
    for (const bad of [{ apiKey: 'v1' }, { nested: { client_secret: 'v2' } }, { list: [{ accessToken: 'v3' }] }, { token: 'v4' }, { password: 'v5' }, { privateIntegrationToken: 'v6' }, { pit: 'v7' }]) {
      expect(() => assertNoSecretsInConfig(bad)).toThrow(InvalidConnectionError);
      try {
        assertNoSecretsInConfig(bad);
      } catch (e) {
        expect((e as Error).message).not.toMatch(/v\d/);
      }
    }
  });
});
