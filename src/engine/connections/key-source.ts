import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open as openFile, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SecretKeyError } from './errors.js';
import { Keyring } from './keyring.js';
import { SecretKey } from './secret-key.js';

/** The environment variable holding the key (or keys, comma-separated, the current first). */
export const SECRET_KEY_ENV = 'GHL_BRIDGE_SECRET_KEY';

export interface LoadKeyringOptions {
  /** Where to look for `GHL_BRIDGE_SECRET_KEY` (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Key file used when the variable is unset; created with a new key (mode 0600) if missing. */
  keyFile?: string;
}

export interface LoadedKeyring {
  keyring: Keyring;
  /** Where the keys came from: the variable, an existing key file, or a key file created now. */
  source: 'env' | 'file' | 'created';
}

/**
 * Reads a key list: keys separated by new lines or commas, the current first; blank lines and
 * lines starting with `#` are skipped. `source` names the origin in errors.
 *
 * @example
 * const [current, ...retired] = parseKeyList(process.env.GHL_BRIDGE_SECRET_KEY!, 'GHL_BRIDGE_SECRET_KEY');
 */
export function parseKeyList(text: string, source: string): SecretKey[] {
  const entries = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new SecretKeyError(`${source} holds no key`);
  return entries.map((entry, i) => SecretKey.parse(entry, entries.length > 1 ? `key ${i + 1} of ${source}` : source));
}

/**
 * The process's keyring: from `GHL_BRIDGE_SECRET_KEY` (base64 or hex of 32 bytes; several keys
 * comma-separated, the current first) or else from `keyFile`, which is created with a fresh random
 * key and mode 0600 on first start (its directory with 0700). Two processes starting together
 * create one key: the file appears whole or not at all, and the loser reads the winner's.
 *
 * @example
 * const { keyring, source } = await loadKeyring({ keyFile: './data/secret.key' });
 * if (source === 'created') log.warn('created ./data/secret.key: back it up, secrets cannot be read without it');
 */
export async function loadKeyring(options: LoadKeyringOptions = {}): Promise<LoadedKeyring> {
  const env = options.env ?? process.env;
  const fromEnv = env[SECRET_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { keyring: keyringOf(parseKeyList(fromEnv, SECRET_KEY_ENV)), source: 'env' };
  if (!options.keyFile) throw new SecretKeyError(`no secret key: set ${SECRET_KEY_ENV} or give a key file`);
  const existing = await readKeyFile(options.keyFile);
  if (existing) return { keyring: keyringOf(existing), source: 'file' };
  const key = SecretKey.generate();
  await mkdir(dirname(options.keyFile), { recursive: true, mode: 0o700 });
  try {
    await createKeyFile(options.keyFile, keyFileText([key]));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKeyFile(options.keyFile);
    if (!winner) throw new SecretKeyError(`key file ${options.keyFile} appeared but could not be read`);
    return { keyring: keyringOf(winner), source: 'file' };
  }
  return { keyring: new Keyring(key), source: 'created' };
}

/**
 * Replaces a key file atomically (a temporary file with mode 0600, flushed, then renamed over it).
 * The first key is the current one.
 *
 * @example
 * await writeKeyFile('./data/secret.key', [SecretKey.generate()]);
 */
export async function writeKeyFile(path: string, keys: readonly SecretKey[]): Promise<void> {
  if (keys.length === 0) throw new SecretKeyError('a key file needs at least one key');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeExclusive(temporary, keyFileText(keys));
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Creates `path` with its whole content or not at all (a complete temporary file, hard-linked into place). */
async function createKeyFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeExclusive(temporary, text);
    await link(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

function keyringOf(keys: SecretKey[]): Keyring {
  return new Keyring(keys[0]!, keys.slice(1));
}

function keyFileText(keys: readonly SecretKey[]): string {
  const [current, ...retired] = keys;
  const lines = ['# ghl-bridge secret key (AES-256-GCM, base64). Keep it secret and backed up: sealed secrets cannot be read without it.', current!.export()];
  if (retired.length > 0) lines.push('# retired keys (still open values sealed before a rotation):', ...retired.map((k) => k.export()));
  return `${lines.join('\n')}\n`;
}

async function readKeyFile(path: string): Promise<SecretKey[] | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseKeyList(text, `key file ${path}`);
}

async function writeExclusive(path: string, text: string): Promise<void> {
  const handle = await openFile(path, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(path, 0o600); // whatever the umask
}
