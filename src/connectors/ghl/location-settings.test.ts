import { describe, expect, it } from 'vitest';
import { checkGhlLocationSettings } from './location-settings.js';

const PEM_LIKE = 'not-a-key';

describe('checkGhlLocationSettings', () => {
  it('takes a location with a PIT, auth pit given or implied, and OAuth without a secret', () => {
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: 'pit' }, { pit: 'pit-x' })).toBeNull();
    expect(checkGhlLocationSettings({ locationId: 'L1' }, { pit: 'pit-x' })).toBeNull();
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: 'oauth', clientId: 'c1' }, {})).toBeNull();
  });

  it('locationId: required, and a string', () => {
    expect(checkGhlLocationSettings({ auth: 'pit' }, { pit: 'x' })?.field).toBe('config.locationId');
    expect(checkGhlLocationSettings({ locationId: 42, auth: 'pit' }, { pit: 'x' })).toEqual({ field: 'config.locationId', message: 'config.locationId: expected a string, got number (quote it in the JSON)' });
  });

  it('auth: a known kind (did you mean), required without a PIT; the advice names the connection id', () => {
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: 'pat' }, { pit: 'x' }, 'ghl-main')).toEqual({
      field: 'config.auth',
      message: 'config.auth: unknown auth kind "pat" (did you mean "pit"?); use pit (a Private Integration Token, --secret pit=…) or oauth (then `ghl-bridge connect ghl --connection ghl-main`)',
    });
    expect(checkGhlLocationSettings({ locationId: 'L1' }, {})?.message).toBe('config.auth: required: use pit (a Private Integration Token, --secret pit=…) or oauth (then `ghl-bridge connect ghl --connection` with its id)');
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: true }, {})?.message).toMatch(/^config\.auth: unknown auth kind boolean; /);
  });

  it('the secret each kind needs: a PIT for pit, none for oauth', () => {
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: 'pit' }, {})).toEqual({
      field: 'secrets.pit',
      message: 'secrets.pit: required with auth pit: the Private Integration Token of the location (Settings → Private Integrations in HighLevel, scopes contacts.readonly contacts.write), given as --secret pit=…',
    });
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: 'oauth' }, { pit: 'x' })?.field).toBe('secrets.pit');
  });

  it('the other settings: strings, a URL, keys that parse, a positive lookback; never a secret in a message', () => {
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: 'pit', baseUrl: 'nope' }, { pit: 'pit-secret-value' })?.field).toBe('config.baseUrl');
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: 'pit', webhookPublicKey: PEM_LIKE }, { pit: 'pit-secret-value' })).toEqual({ field: 'config.webhookPublicKey', message: "config.webhookPublicKey: not an Ed25519 public key (PEM, base64 or hex): HighLevel's webhook key" });
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: 'pit', clientId: 7 }, { pit: 'x' })?.message).toBe('config.clientId: expected a string, got number');
    expect(checkGhlLocationSettings({ locationId: 'L1', auth: 'pit', reconcileLookbackMs: -1 }, { pit: 'x' })?.field).toBe('config.reconcileLookbackMs');
    const all = ['nope', PEM_LIKE].map((u) => JSON.stringify(checkGhlLocationSettings({ locationId: 'L1', auth: 'pit', baseUrl: u }, { pit: 'pit-secret-value' })));
    expect(all.join('')).not.toContain('pit-secret-value');
  });
});
