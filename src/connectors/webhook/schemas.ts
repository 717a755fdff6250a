/**
 * The "your app" connection: which signature scheme the app uses, where the event type, message id
 * and data sit in its payloads, and (for `webhook.send`) where the app receives messages from us.
 */
import { z } from 'zod';
import { SCHEMES, type HmacScheme } from '../webhooks/index.js';

/** Scheme presets by name; anything else is a custom `HmacScheme`. */
export const SCHEME_PRESETS = {
  'standard-webhooks': SCHEMES.standardWebhooks,
  stripe: SCHEMES.stripe,
  github: SCHEMES.github,
} satisfies Record<string, HmacScheme>;

export type SchemeName = keyof typeof SCHEME_PRESETS | 'custom';

const customScheme = z
  .object({
    signatureHeader: z.string().min(1),
    format: z.enum(['standard-webhooks', 'stripe', 'prefixed', 'bare']),
    prefix: z.string().optional(),
    encoding: z.enum(['base64', 'hex']),
    signs: z.enum(['body', 't.body', 'id.t.body']),
    key: z.enum(['whsec-base64', 'utf8']),
    timestampHeader: z.string().min(1).optional(),
    idHeader: z.string().min(1).optional(),
    toleranceSeconds: z.number().int().min(0).default(300),
    rejectFuture: z.boolean().default(false),
  })
  .strict();

/** A dotted path with optional `[n]` indexes, e.g. `data.object.id`. */
const pathSchema = z.string().regex(/^[A-Za-z0-9_$-]+(\[\d+\])*(\.[A-Za-z0-9_$-]+(\[\d+\])*)*$/, { error: 'a path is dot-separated keys, e.g. data.object.id' });

export const webhookConfigSchema = z
  .object({
    scheme: z.union([z.enum(['standard-webhooks', 'stripe', 'github']), customScheme]).default('standard-webhooks'),
    /** Overrides the scheme's replay window (seconds; 0 = off). */
    toleranceSeconds: z.number().int().min(0).optional(),
    eventTypePath: pathSchema.default('type'),
    /** Where the message id sits in the body when the scheme has no id header (Stripe: `id`). */
    idPath: pathSchema.optional(),
    /** The part of the body passed to recipes (default: the whole body). */
    dataPath: pathSchema.optional(),
    /** The app's endpoint for `webhook.send` (two-way, 360° view). */
    sendUrl: z.url().optional(),
  })
  .strict();

export type WebhookConfig = z.output<typeof webhookConfigSchema>;

/** The typed connection the connector's parts use. */
export interface WebhookConn {
  id: string;
  source: string;
  schemeName: SchemeName;
  scheme: HmacScheme;
  /** Every signing secret accepted now (more than one while a secret is rotated). */
  secrets: string[];
  eventTypePath: string;
  idPath: string | undefined;
  dataPath: string | undefined;
  sendUrl: string | undefined;
  /** Secret that signs `webhook.send` messages (`sendSecret`, else the first signing secret). */
  sendSecret: string | undefined;
}

/** Splits a rotation list: `whsec_a whsec_b` or `a,b` (Standard Webhooks secrets hold no `,` or space). */
export function splitSecrets(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter((s) => s.length > 0);
}

/**
 * Reads the scheme: a preset by name, or custom fields; `toleranceSeconds` overrides the window.
 *
 * @example
 * resolveScheme({ scheme: 'stripe', eventTypePath: 'type' }); // { name: 'stripe', scheme: SCHEMES.stripe }
 */
export function resolveScheme(config: Pick<WebhookConfig, 'scheme' | 'toleranceSeconds'>): { name: SchemeName; scheme: HmacScheme } {
  const { name, scheme } = typeof config.scheme === 'string' ? { name: config.scheme, scheme: SCHEME_PRESETS[config.scheme] as HmacScheme } : { name: 'custom' as const, scheme: config.scheme as HmacScheme };
  return { name, scheme: config.toleranceSeconds === undefined ? scheme : { ...scheme, toleranceSeconds: config.toleranceSeconds } };
}
