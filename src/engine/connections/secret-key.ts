import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { SealedValueError, SecretKeyError } from './errors.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every sealed value: the format (AES-256-GCM, 12-byte IV, 16-byte tag). */
const FORMAT = 1;

/** Key material by key, kept out of the object so that printing a key cannot show it. */
const material = new WeakMap<SecretKey, Buffer>();

/**
 * A 32-byte AES-256-GCM key and its id (a fingerprint: `k` + 16 hex digits of a SHA-256 of the
 * key, stored beside each sealed value to name the key that opens it). Printing or serialising a
 * key shows only its id; `export()` gives the material as base64.
 *
 * @example
 * const key = SecretKey.parse(process.env.GHL_BRIDGE_SECRET_KEY!); // base64 or hex of 32 bytes
 * const fresh = SecretKey.generate();
 * await writeFile(path, fresh.export() + '\n', { mode: 0o600 });
 */
export class SecretKey {
  readonly id: string;

  private constructor(bytes: Buffer) {
    material.set(this, bytes);
    this.id = `k${createHash('sha256').update('ghl-bridge secret key id\0').update(bytes).digest('hex').slice(0, 16)}`;
  }

  static generate(): SecretKey {
    return new SecretKey(randomBytes(KEY_BYTES));
  }

  /** Reads 32 bytes given as hex (64 digits) or base64 (standard or URL alphabet). */
  static parse(text: string, source = 'the secret key'): SecretKey {
    const t = text.trim();
    let bytes: Buffer | undefined;
    if (/^[0-9a-fA-F]{64}$/.test(t)) bytes = Buffer.from(t, 'hex');
    else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) bytes = Buffer.from(t, 'base64');
    if (!bytes || bytes.length !== KEY_BYTES) {
      throw new SecretKeyError(`${source} must be ${KEY_BYTES} bytes written as base64 or hex (${bytes ? `it decodes to ${bytes.length} bytes` : 'it is neither'})`);
    }
    return new SecretKey(bytes);
  }

  /** The key material as base64: for the key file or the environment, nowhere else. */
  export(): string {
    return bytesOf(this).toString('base64');
  }

  toJSON(): string {
    return `SecretKey(${this.id})`;
  }

  toString(): string {
    return `SecretKey(${this.id})`;
  }

  [inspect.custom](): string {
    return `SecretKey(${this.id})`;
  }
}

function bytesOf(key: SecretKey): Buffer {
  const bytes = material.get(key);
  if (!bytes) throw new SecretKeyError('not a SecretKey');
  return bytes;
}

/**
 * Encrypts `plaintext` with AES-256-GCM under `key`, binding it to `context` (authenticated, not
 * stored: a value moved to another row or purpose no longer opens). Layout: format byte, IV, tag,
 * ciphertext.
 *
 * @example
 * const sealed = seal(key, JSON.stringify(secrets), 'connection:abc');
 */
export function seal(key: SecretKey, plaintext: string, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', bytesOf(key), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
}

/**
 * Decrypts what `seal` produced with the same key and context. Throws `SealedValueError` (naming
 * `what`, never the content) when the value is malformed, altered, or bound to another context.
 *
 * @example
 * const secrets = JSON.parse(open(key, row.sealed_secret, 'connection:abc', 'connection "abc"'));
 */
export function open(key: SecretKey, sealed: Uint8Array, context: string, what = 'a sealed value'): string {
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (buf.length < 1 + IV_BYTES + TAG_BYTES || buf[0] !== FORMAT) {
    throw new SealedValueError(`${what} is not a sealed value this version can read`, key.id);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', bytesOf(key), buf.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedValueError(`${what} could not be decrypted with key ${key.id}: it was altered or moved from another record`, key.id);
  }
}
