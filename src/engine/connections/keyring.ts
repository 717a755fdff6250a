import { SealedValueError } from './errors.js';
import { open, seal, type SecretKey } from './secret-key.js';

/** A value sealed for storage, with the id of the key that opens it. */
export interface Sealed {
  sealed: Buffer;
  keyId: string;
}

/**
 * The secret keys of a process: the current one seals, any loaded one opens what it sealed (found
 * by the key id stored with the value). The connection repository and the token store share one
 * keyring, so a rotation switches both. Reads and writes of sealed rows run inside `withKeys` and
 * a rotation inside `rotating`, so no write of this process seals with the old key while a
 * rotation re-seals, and no read opens a row with a key the rotation has just unloaded.
 *
 * @example
 * const keyring = new Keyring(SecretKey.parse(process.env.GHL_BRIDGE_SECRET_KEY!));
 * const { sealed, keyId } = keyring.seal(JSON.stringify(value), 'connection:abc');
 * const text = keyring.open(sealed, keyId, 'connection:abc', 'connection "abc"');
 */
export class Keyring {
  private keys: SecretKey[];
  private writers = 0;
  private rotation: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  /** `current` seals; `retired` keys only open values not yet re-sealed. */
  constructor(current: SecretKey, retired: readonly SecretKey[] = []) {
    this.keys = [current, ...retired.filter((k) => k.id !== current.id)];
  }

  get current(): SecretKey {
    return this.keys[0]!;
  }

  /** Ids of every loaded key, the current first. */
  get ids(): string[] {
    return this.keys.map((k) => k.id);
  }

  /** Every loaded key, the current first. */
  get all(): readonly SecretKey[] {
    return [...this.keys];
  }

  seal(plaintext: string, context: string): Sealed {
    return { sealed: seal(this.current, plaintext, context), keyId: this.current.id };
  }

  /** Opens a value; `what` names it in errors (an id, never content). */
  open(sealed: Uint8Array, keyId: string, context: string, what: string): string {
    const key = this.keys.find((k) => k.id === keyId);
    if (!key) {
      throw new SealedValueError(
        `${what} was sealed with key ${keyId}, which is not loaded (loaded: ${this.ids.join(', ')}): start with the key it was sealed with (GHL_BRIDGE_SECRET_KEY or the key file)`,
        keyId,
      );
    }
    return open(key, sealed, context, what);
  }

  /** Makes `key` current; the previous keys stay loaded (retired) to open what was sealed before. */
  use(key: SecretKey): void {
    this.keys = [key, ...this.keys.filter((k) => k.id !== key.id)];
  }

  /** Unloads every key but the current one. */
  retireAll(): void {
    this.keys = [this.current];
  }

  /** Runs a read or write of sealed rows (query, then open; or seal, then store): waits while a rotation runs. */
  async withKeys<T>(fn: () => Promise<T>): Promise<T> {
    while (this.rotation) await this.rotation;
    this.writers++;
    try {
      return await fn();
    } finally {
      this.writers--;
      if (this.writers === 0) this.drained?.();
    }
  }

  /** Runs a rotation alone: after the reads and writes in progress, before any new one. Not re-entrant. */
  async rotating<T>(fn: () => Promise<T>): Promise<T> {
    while (this.rotation) await this.rotation;
    let done!: () => void;
    this.rotation = new Promise<void>((resolve) => (done = resolve));
    try {
      if (this.writers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = null;
      return await fn();
    } finally {
      this.rotation = null;
      done();
    }
  }
}
