import { describe, expect, it } from 'vitest';
import { connecteamConnection, ConnecteamConnectionError } from './connection.js';

const stored = (config: Record<string, unknown>, secrets: Record<string, string> = { apiKey: 'key-123', webhookSecret: 'whs-456' }) => ({
  id: 'connecteam-main',
  app: 'connecteam',
  source: 'connecteam',
  config,
  secrets,
});

describe('connecteamConnection', () => {
  it('defaults: production base URL, X-Connecteam-Signature as bare hex HMAC-SHA256 of the body', () => {
    const conn = connecteamConnection(stored({}));
    expect(conn.baseUrl).toBe('https://api.connecteam.com');
    expect(conn.pageSize).toBe(100);
    expect(conn.scheme).toEqual({ signatureHeader: 'x-connecteam-signature', format: 'bare', encoding: 'hex', signs: 'body', key: 'utf8', toleranceSeconds: 0, rejectFuture: false });
    expect(conn.apiKey).toBe('key-123');
    expect(conn.webhookSecret).toBe('whs-456');
  });

  it('builds the HMAC scheme from the signature config (header, encoding, prefix, timestamp window)', () => {
    const conn = connecteamConnection(stored({ baseUrl: 'http://127.0.0.1:9/', signature: { header: 'X-Signature', encoding: 'base64', prefix: 'sha256=', timestampHeader: 'X-Timestamp', toleranceSeconds: 300 } }));
    expect(conn.baseUrl).toBe('http://127.0.0.1:9');
    expect(conn.scheme).toEqual({ signatureHeader: 'x-signature', format: 'prefixed', prefix: 'sha256=', encoding: 'base64', signs: 'body', key: 'utf8', timestampHeader: 'x-timestamp', toleranceSeconds: 300, rejectFuture: false });
  });

  it('keeps secrets out of logs and JSON', () => {
    const conn = connecteamConnection(stored({}));
    const shown = JSON.stringify(conn) + String(Object.keys(conn));
    expect(shown).not.toContain('key-123');
    expect(shown).not.toContain('whs-456');
  });

  it('names the field of a bad setting and never echoes a secret', () => {
    const cases: Array<[Record<string, unknown>, Record<string, string>, string]> = [
      [{ baseUrl: 'ftp://x' }, { apiKey: 'k' }, 'config.baseUrl'],
      [{ signature: { encoding: 'hex64' } }, { apiKey: 'k' }, 'config.signature.encoding'],
      [{ signature: { header: 'bad header' } }, { apiKey: 'k' }, 'config.signature.header'],
      [{ pageSize: 501 }, { apiKey: 'k' }, 'config.pageSize'],
      [{ baseUrl: 'http://x', typo: 1 }, { apiKey: 'k' }, 'config.typo'],
      [{}, {}, 'secrets.apiKey'],
      [{}, { apiKey: '' }, 'secrets.apiKey'],
      [{}, { apiKey: 'k', webhookSecret: '' }, 'secrets.webhookSecret'],
    ];
    for (const [config, secrets, field] of cases) {
      let error: unknown;
      try {
        connecteamConnection(stored(config, secrets));
      } catch (e) {
        error = e;
      }
      expect(error, field).toBeInstanceOf(ConnecteamConnectionError);
      expect((error as ConnecteamConnectionError).field).toBe(field);
      expect((error as Error).message).toMatch(/^connecteam connection connecteam-main: /);
    }
  });

  it('works without a webhook secret (polling and actions only)', () => {
    expect(connecteamConnection(stored({}, { apiKey: 'k' })).webhookSecret).toBeUndefined();
  });
});
