import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 20-character alphanumeric id like HighLevel's (`ocQHyuzHvysMo5N5VsXc`). */
export function newId(length = 20): string {
  const bytes = randomBytes(length * 2);
  let id = '';
  // Rejection sampling keeps the alphabet uniform (248 = 4 * 62).
  for (let i = 0; i < bytes.length && id.length < length; i++) {
    const b = bytes[i]!;
    if (b < 248) id += ALPHABET[b % 62];
  }
  return id.length === length ? id : newId(length);
}

/** 24-hex ids as used for business ids and apps. */
export function newHexId(): string {
  return randomBytes(12).toString('hex');
}

export function newSecret(prefix = ''): string {
  return prefix + randomBytes(24).toString('base64url');
}

export function newUuid(): string {
  return randomUUID();
}

/** Shape of ids the API accepts in paths (alphanumeric, 1–64 chars). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
