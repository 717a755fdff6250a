import { describe, expect, it } from 'vitest';
import { credentialsAdvice, ghlAuthKind } from './credentials-advice.js';

describe('credentialsAdvice', () => {
  it('a PIT: a new token from the location settings, then the re-add command with the real id, name and settings', () => {
    const a = credentialsAdvice({ id: 'ghl-main', name: "Dr. O'Neil", config: { auth: 'pit', locationId: 'L1', baseUrl: 'http://127.0.0.1:1' }, hasSecrets: true });
    expect(a.kind).toBe('pit');
    expect(a.command).toBe(`ghl-bridge connections remove ghl-main && ghl-bridge connections add --app ghl-location --id ghl-main --name 'Dr. O'\\''Neil' --config '{"locationId":"L1","auth":"pit","baseUrl":"http://127.0.0.1:1"}' --secret pit=…`);
    expect(a.text).toBe(`create a new Private Integration Token in the location's settings (Settings → Private Integrations) with scopes contacts.readonly contacts.write, then \`${a.command}\``);
  });

  it('OAuth: connect ghl with the real id', () => {
    expect(credentialsAdvice({ id: 'ghl-dental', config: { locationId: 'L1', auth: 'oauth' } })).toEqual({
      kind: 'oauth',
      command: 'ghl-bridge connect ghl --connection ghl-dental',
      text: 're-authorize it: `ghl-bridge connect ghl --connection ghl-dental` prints a link; open it and choose the location again',
    });
  });

  it('without `auth`, the kind the engine uses: a PIT when secrets are stored, else OAuth', () => {
    expect(ghlAuthKind({ id: 'a', config: { locationId: 'L1' }, hasSecrets: true })).toBe('pit');
    expect(ghlAuthKind({ id: 'a', config: { locationId: 'L1' }, hasSecrets: false })).toBe('oauth');
    expect(credentialsAdvice({ id: 'a', config: { locationId: 'L1' }, hasSecrets: true }).command).toContain(`--config '{"locationId":"L1","auth":"pit"}'`);
  });
});
