/**
 * The settings of a `ghl-location` connection checked when it is added, as every other
 * connector's are: the engine writes with it (a PIT, or OAuth tokens from `connect ghl`) and the
 * `ghl` connector reads its webhooks, so a wrong one would fail far from where it was typed.
 * Messages name the field, never a secret's value.
 */
import { didYouMean } from '../../engine/recipes/schema-errors.js';
import { printable } from '../../engine/text/printable.js';
import { parsePublicKey } from '../../ghl/webhooks/index.js';

/** How the engine authenticates to the location. */
export const GHL_AUTH_KINDS = ['pit', 'oauth'] as const;

export interface SettingsProblem {
  field: string;
  message: string;
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

function optionalText(config: Record<string, unknown>, key: string): SettingsProblem | null {
  const v = config[key];
  if (v === undefined || typeof v === 'string') return null;
  return { field: `config.${key}`, message: `config.${key}: expected a string, got ${kindOf(v)}` };
}

/**
 * The first problem of a `ghl-location` connection's config and secrets (unknown names are
 * refused before, by `unknownConnectionKey`), or null. `auth` defaults to `pit` when a `pit`
 * secret is given. `id` (the connection's, when chosen) goes into the `connect ghl` advice.
 *
 * @example
 * checkGhlLocationSettings({ locationId: 'L1', auth: 'pat' }, { pit: '…' }, 'ghl-main');
 * // { field: 'config.auth', message: 'config.auth: unknown auth kind "pat" (did you mean "pit"?); use pit (a Private Integration Token, --secret pit=…) or oauth (then `ghl-bridge connect ghl --connection ghl-main`)' }
 */
export function checkGhlLocationSettings(config: Record<string, unknown>, secrets: Record<string, unknown>, id?: string): SettingsProblem | null {
  const locationId = config.locationId;
  if (locationId === undefined || locationId === '') return { field: 'config.locationId', message: 'config.locationId: required: the id of the GHL location (sub-account), from its URL in HighLevel (…/location/<locationId>/…) or Settings → Business Profile' };
  if (typeof locationId !== 'string') return { field: 'config.locationId', message: `config.locationId: expected a string, got ${kindOf(locationId)} (quote it in the JSON)` };
  const auth = config.auth ?? (secrets.pit !== undefined ? 'pit' : undefined);
  const connect = id ? `\`ghl-bridge connect ghl --connection ${printable(id, 128)}\`` : '`ghl-bridge connect ghl --connection` with its id';
  const kinds = `use pit (a Private Integration Token, --secret pit=…) or oauth (then ${connect})`;
  if (auth === undefined) return { field: 'config.auth', message: `config.auth: required: ${kinds}` };
  if (typeof auth !== 'string' || !(GHL_AUTH_KINDS as readonly string[]).includes(auth)) {
    const shown = typeof auth === 'string' ? `"${printable(auth, 40)}"` : kindOf(auth);
    return { field: 'config.auth', message: `config.auth: unknown auth kind ${shown}${typeof auth === 'string' ? didYouMean(auth, GHL_AUTH_KINDS) : ''}; ${kinds}` };
  }
  if (auth === 'pit' && (typeof secrets.pit !== 'string' || secrets.pit === '')) {
    return { field: 'secrets.pit', message: 'secrets.pit: required with auth pit: the Private Integration Token of the location (Settings → Private Integrations in HighLevel, scopes contacts.readonly contacts.write), given as --secret pit=…' };
  }
  if (auth === 'oauth' && secrets.pit !== undefined) {
    return { field: 'secrets.pit', message: 'secrets.pit: not used with auth oauth (its tokens come from `ghl-bridge connect ghl`); use auth pit to write with a Private Integration Token' };
  }
  for (const key of ['baseUrl', 'clientId', 'source', 'webhookPublicKey', 'legacyRsaPublicKey']) {
    const problem = optionalText(config, key);
    if (problem) return problem;
  }
  if (typeof config.baseUrl === 'string' && !URL.canParse(config.baseUrl)) return { field: 'config.baseUrl', message: 'config.baseUrl: expected an absolute URL such as https://services.leadconnectorhq.com' };
  const keys = [['webhookPublicKey', 'ed25519', 'an Ed25519 public key (PEM, base64 or hex): HighLevel\'s webhook key'], ['legacyRsaPublicKey', 'rsa', 'an RSA public key (PEM)']] as const;
  for (const [key, kind, what] of keys) {
    const value = config[key];
    if (typeof value !== 'string' || value === '') continue;
    try {
      parsePublicKey(value, kind);
    } catch {
      return { field: `config.${key}`, message: `config.${key}: not ${what}` };
    }
  }
  const lookback = config.reconcileLookbackMs;
  if (lookback !== undefined && (typeof lookback !== 'number' || !(lookback > 0))) return { field: 'config.reconcileLookbackMs', message: 'config.reconcileLookbackMs: expected a positive number of milliseconds' };
  return null;
}
