import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePublicKey } from './keys.js';

const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const pem = ed.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const der = ed.publicKey.export({ format: 'der', type: 'spki' });
const raw = der.subarray(der.length - 32);
const message = Buffer.from('{"type":"ContactCreate"}');
const signature = sign(null, message, ed.privateKey);

/** A parsed key is the right one when it verifies a signature of the matching private key. */
const works = (input: Parameters<typeof parsePublicKey>[0]) => verify(null, message, parsePublicKey(input, 'ed25519'), signature);

describe('parsePublicKey', () => {
  it('reads every form HighLevel keys come in', () => {
    const body = pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    const forms = {
      pem,
      'one-line PEM': `-----BEGIN PUBLIC KEY----- ${body} -----END PUBLIC KEY-----`,
      'PEM with literal \\n': pem.replace(/\n/g, '\\n'),
      'raw base64': raw.toString('base64'),
      'raw base64url': raw.toString('base64url'),
      'raw hex': raw.toString('hex'),
      'raw HEX upper case': raw.toString('hex').toUpperCase(),
      'SPKI DER base64': der.toString('base64'),
      'raw bytes': new Uint8Array(raw),
      'DER bytes': new Uint8Array(der),
      KeyObject: createPublicKey(pem),
    };
    for (const [name, input] of Object.entries(forms)) expect([name, works(input)]).toEqual([name, true]);
  });

  it('does not verify with a different key', () => {
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(works(other)).toBe(false);
  });

  it('reads an RSA key as rsa and refuses it as ed25519 (and the reverse)', () => {
    const rsaPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(parsePublicKey(rsaPem, 'rsa').asymmetricKeyType).toBe('rsa');
    expect(() => parsePublicKey(rsaPem, 'ed25519')).toThrow(/rsa, expected ed25519/);
    expect(() => parsePublicKey(pem, 'rsa')).toThrow(/ed25519, expected rsa/);
  });

  it('refuses garbage, a wrong length and a private key, naming the accepted forms', () => {
    for (const bad of ['not a key!', raw.subarray(0, 31).toString('base64'), 'abcd', '']) {
      expect(() => parsePublicKey(bad, 'ed25519')).toThrow(/PEM, SPKI DER base64, or the raw 32 bytes/);
    }
    const privatePem = ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parsePublicKey(privatePem, 'ed25519')).toThrow(TypeError);
  });
});
