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

/**
 * A custom scheme. The replay window needs a timestamp: without `timestampHeader` (a scheme that
 * signs the body only) it defaults to 0 (off), since a 300 s window could never be checked and
 * every delivery would fail; asking for one anyway, or signing a timestamp or id that no header
 * carries, is refused here with the field named.
 */
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
    toleranceSeconds: z.number().int().min(0).optional(),
    rejectFuture: z.boolean().default(false),
  })
  .strict();

type CustomScheme = z.output<typeof customScheme>;

/** Whether a custom scheme has a timestamp to check (the Stripe format carries it in the signature header, t=…). */
const hasTimestamp = (s: CustomScheme): boolean => s.timestampHeader !== undefined || s.format === 'stripe';

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
  .strict()
  // (checked here, not on the custom scheme: inside the union a failed refinement would only say "Invalid input")
  .superRefine((c, ctx) => {
    if (typeof c.scheme !== 'object') return;
    const s = c.scheme;
    const at = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: ['scheme', field], message });
    if (s.signs !== 'body' && !hasTimestamp(s)) at('timestampHeader', `required when signs is "${s.signs}" (the signed timestamp comes from this header)`);
    if (s.signs === 'id.t.body' && s.idHeader === undefined) at('idHeader', 'required when signs is "id.t.body" (the signed id comes from this header)');
    if (!hasTimestamp(s) && s.toleranceSeconds !== undefined && s.toleranceSeconds > 0) at('toleranceSeconds', 'a replay window needs a timestampHeader; without one use 0 (or leave it out)');
    if (!hasTimestamp(s) && c.toleranceSeconds !== undefined && c.toleranceSeconds > 0) {
      ctx.addIssue({ code: 'custom', path: ['toleranceSeconds'], message: 'a replay window needs scheme.timestampHeader; without one use 0 (or leave it out)' });
    }
  });

export type WebhookConfig = z.output<typeof webhookConfigSchema>;

/** The typed connection the connector's parts use. */
export interface WebhookConn {
  id: string;
  source: string;
  schemeName: SchemeName;
  scheme: HmacScheme;
  /** Every signing secret accepted now (more than one while a secret is rotated). Not enumerable: never serialized. */
  readonly secrets: readonly string[];
  eventTypePath: string;
  idPath: string | undefined;
  dataPath: string | undefined;
  sendUrl: string | undefined;
  /** Secret that signs `webhook.send` messages (`sendSecret`, else the first signing secret). Not enumerable: never serialized. */
  readonly sendSecret: string | undefined;
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
  const custom = typeof config.scheme === 'string' ? null : config.scheme;
  // a custom scheme's window defaults to 5 minutes when it has a timestamp, else off
  const { name, scheme } = custom === null ? { name: config.scheme as keyof typeof SCHEME_PRESETS, scheme: SCHEME_PRESETS[config.scheme as keyof typeof SCHEME_PRESETS] as HmacScheme } : { name: 'custom' as const, scheme: { ...custom, toleranceSeconds: custom.toleranceSeconds ?? (hasTimestamp(custom) ? 300 : 0) } as HmacScheme };
  return { name, scheme: config.toleranceSeconds === undefined ? scheme : { ...scheme, toleranceSeconds: config.toleranceSeconds } };
}
