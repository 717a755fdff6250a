import { createPublicKey, KeyObject } from 'node:crypto';

/** What a webhook public key may be given as. */
export type PublicKeyInput = string | Uint8Array | KeyObject;

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32 bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const PEM = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/;

function fromDer(der: Buffer): KeyObject {
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

function fromBytes(bytes: Buffer): KeyObject {
  if (bytes.length === 32) return fromDer(Buffer.concat([ED25519_SPKI_PREFIX, bytes]));
  return fromDer(bytes);
}

/**
 * Reads a public key: a KeyObject, PEM (also on one line or with literal `\n`, as environment
 * variables often carry it), SPKI DER (bytes or base64), or for Ed25519 the raw 32 bytes (bytes,
 * base64 or hex). Throws a TypeError naming the expected forms when it is none of them or of
 * another algorithm.
 *
 * @example
 * const key = parsePublicKey(process.env.GHL_WEBHOOK_PUBLIC_KEY!, 'ed25519'); // PEM, base64 or hex
 */
export function parsePublicKey(input: PublicKeyInput, algorithm: 'ed25519' | 'rsa'): KeyObject {
  let key: KeyObject;
  try {
    key = read(input);
  } catch {
    throw new TypeError(`the webhook ${algorithm === 'rsa' ? 'RSA' : 'Ed25519'} public key cannot be read (give PEM, SPKI DER base64${algorithm === 'ed25519' ? ', or the raw 32 bytes as base64 or hex' : ''})`);
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== algorithm) {
    throw new TypeError(`the webhook public key is ${key.asymmetricKeyType ?? 'unknown'}, expected ${algorithm}`);
  }
  return key;
}

function read(input: PublicKeyInput): KeyObject {
  if (input instanceof KeyObject) return input;
  if (input instanceof Uint8Array) return fromBytes(Buffer.from(input));
  const text = input.replace(/\\n/g, '\n').trim();
  const pem = PEM.exec(text);
  if (pem) {
    // a private key given by mistake is refused rather than turned into its public half
    if (pem[1] === 'RSA PUBLIC KEY') return createPublicKey(text);
    if (pem[1] !== 'PUBLIC KEY') throw new TypeError('not a public key');
    return fromDer(Buffer.from(pem[2]!.replace(/\s+/g, ''), 'base64'));
  }
  if (/^[0-9a-fA-F]{64}$/.test(text)) return fromBytes(Buffer.from(text, 'hex'));
  const compact = text.replace(/\s+/g, '');
  if (BASE64.test(compact)) return fromBytes(Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64'));
  throw new TypeError('unrecognised key format');
}
