/**
 * The connection form of each app: its `config` and `secrets` as JSON Schemas generated from the
 * connectors' own zod definitions (GHL's, whose settings are checked by hand, from one written
 * here), with a title and help text on each field, the secrets marked `writeOnly` (and
 * `format: password`, so a form renders a password input), and how each app authenticates.
 */
import { z } from 'zod';
import { connecteamConfigSchema, connecteamSecretsSchema } from '../../../connectors/connecteam/connection.js';
import { erpConfigSchema } from '../../../connectors/erp/schemas.js';
import { GHL_AUTH_KINDS } from '../../../connectors/ghl/location-settings.js';
import { configSchema as recruiteeConfigSchema, secretsSchema as recruiteeSecretsSchema } from '../../../connectors/recruitee/schemas.js';
import { webhookConfigSchema } from '../../../connectors/webhook/schemas.js';
import type { ConnectionApp } from '../../../engine/index.js';

type Json = Record<string, unknown>;

/** A way an app's connection proves who it is. */
export interface AuthKind {
  kind: string;
  title: string;
  /** the secrets this kind needs */
  secrets: string[];
  /** connected through the single-use OAuth link (`POST /api/v1/connect/ghl`), not by typing a secret */
  oauth?: boolean;
}

export interface ConnectorSchema {
  /** the connection's `app` */
  app: ConnectionApp;
  /** the connector reading it (`ghl` for a GHL location), null when none does */
  connector: string | null;
  title: string;
  description: string;
  /** a suggested connection id */
  defaultId: string;
  authKinds: AuthKind[];
  /** JSON Schema of `config` (non-secret settings) */
  config: Json;
  /** JSON Schema of `secrets` (sealed at rest, never answered back) */
  secrets: Json;
  /** the secrets' names (also marked `writeOnly` in `secrets`) */
  secretFields: string[];
  /** required fields as body paths: `config.locationId`, `secrets.signingSecret` */
  required: string[];
}

const SOURCE_HELP = 'The event source name recipes use in `trigger.source` (default: the app id). Your app: e.g. my-app.';
const source = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/).optional().meta({ title: 'Event source', description: SOURCE_HELP });

/** A GHL location: the engine writes with it (a PIT, or OAuth tokens), the `ghl` connector reads its webhooks. */
const ghlLocationConfig = z.strictObject({
  locationId: z.string().min(1).meta({ title: 'Location id', description: 'The id of the GHL location (sub-account), from its URL in HighLevel (…/location/<locationId>/…) or Settings → Business Profile' }),
  auth: z.enum(GHL_AUTH_KINDS).default('pit').meta({ title: 'Authentication', description: 'pit: a Private Integration Token (below); oauth: connect through the marketplace app (the Connect button)' }),
  clientId: z.string().min(1).optional().meta({ title: 'OAuth client id', description: 'OAuth only: the marketplace app client id (default: the server config ghl.oauth.clientId)' }),
  baseUrl: z.url().optional().meta({ title: 'API base URL', description: 'Default https://services.leadconnectorhq.com' }),
  webhookPublicKey: z.string().min(1).optional().meta({ title: 'Webhook public key', description: "HighLevel's Ed25519 webhook key (PEM, base64 or hex): needed to receive GHL webhooks" }),
  legacyRsaPublicKey: z.string().min(1).optional().meta({ title: 'Legacy RSA public key', description: 'RSA key (PEM) of the legacy x-wh-signature header; without it that header is not trusted' }),
  reconcileLookbackMs: z.number().int().positive().optional().meta({ title: 'Reconcile look-back (ms)', description: 'How far back the first reconciliation looks (default 24 h)' }),
  source: source.meta({ title: 'Event source', description: 'The event source name of its webhooks in recipes (default: ghl)' }),
});
const ghlLocationSecrets = z.strictObject({
  pit: z.string().min(1).optional().meta({ title: 'Private Integration Token', description: 'Required with auth pit: Settings → Private Integrations in HighLevel, scopes contacts.readonly contacts.write' }),
  clientSecret: z.string().min(1).optional().meta({ title: 'OAuth client secret', description: 'OAuth only, when this location uses another marketplace app than the server config' }),
});
const ghlAgencyConfig = z.strictObject({
  companyId: z.string().min(1).meta({ title: 'Company id', description: 'The agency (company) id in HighLevel' }),
  clientId: z.string().min(1).meta({ title: 'OAuth client id', description: 'The marketplace app client id' }),
  source,
});
const ghlAgencySecrets = z.strictObject({ clientSecret: z.string().min(1).meta({ title: 'OAuth client secret', description: 'The marketplace app client secret' }) });
const webhookSecrets = z.strictObject({
  signingSecret: z.string().min(1).meta({ title: 'Signing secret', description: 'The secret your app signs its webhooks with (Standard Webhooks: whsec_…; several separated by spaces while rotating)' }),
  sendSecret: z.string().min(1).optional().meta({ title: 'Send secret', description: 'Signs the messages ghl-bridge sends to your app (webhook.send; default: the signing secret)' }),
});
const erpSecrets = z.strictObject({ apiKey: z.string().min(1).optional().meta({ title: 'API key', description: 'Sent in the API key header (config apiKeyHeader) of every JSON or CSV-URL request' }) });

/** Help for fields the connectors' schemas leave without a title or description: dotted path → text. */
const HELP: Record<string, Record<string, { title?: string; description?: string }>> = {
  webhook: {
    scheme: { title: 'Signature scheme', description: 'How your app signs its webhooks: standard-webhooks, stripe, github, or a custom scheme' },
    toleranceSeconds: { title: 'Replay window (s)', description: "Overrides the scheme's replay window in seconds (0 = off)" },
    eventTypePath: { title: 'Event type path', description: 'Where the event type sits in the body (default: type)' },
    idPath: { title: 'Message id path', description: 'Where the message id sits in the body when the scheme has no id header (Stripe: id)' },
    dataPath: { title: 'Data path', description: 'The part of the body passed to recipes (default: the whole body)' },
    sendUrl: { title: 'Send URL', description: "Your app's endpoint for webhook.send (two-way sync, 360° view)" },
  },
  recruitee: {
    baseUrl: { title: 'API base URL' },
    companyId: { title: 'Company id', description: 'The numeric company id (Settings > Apps and plugins > Personal API tokens)' },
    companyName: { title: 'Company name' },
    eventTypes: { title: 'Event type overrides' },
    refetch: { title: 'Re-read candidates' },
    pageSize: { title: 'Page size', description: 'Candidates per page of a poll' },
    overlapSeconds: { title: 'Poll overlap (s)' },
    timeoutMs: { title: 'Timeout (ms)', description: 'Per request' },
    token: { title: 'API token', description: 'A personal API token of the company' },
    webhookSecret: { title: 'Webhook secret', description: "The secret of Recruitee's webhook signature" },
  },
  connecteam: {
    baseUrl: { title: 'API base URL', description: 'Default https://api.connecteam.com' },
    signature: { title: 'Webhook signature', description: 'How Connecteam webhooks are signed (default: x-connecteam-signature, hex HMAC-SHA256 of the body)' },
    'signature.header': { title: 'Signature header' },
    'signature.encoding': { title: 'Encoding' },
    'signature.prefix': { title: 'Prefix', description: 'e.g. sha256= when the value is prefixed' },
    'signature.timestampHeader': { title: 'Timestamp header', description: 'A header with Unix seconds, checked against the tolerance' },
    'signature.toleranceSeconds': { title: 'Tolerance (s)' },
    pageSize: { title: 'Page size', description: 'Users per page of polls and full syncs (1–500)' },
    pollOverlapSeconds: { title: 'Poll overlap (s)', description: 'How far back each poll re-reads before its watermark' },
    apiKey: { title: 'API key', description: 'The company API key (Connecteam → Settings → API keys)' },
    webhookSecret: { title: 'Webhook secret', description: 'The secretKey of the Connecteam webhook' },
  },
  erp: {
    baseUrl: { title: 'API base URL', description: 'Where the JSON feeds and CSV URLs are read from (not needed for dropped CSV files)' },
    apiKeyHeader: { title: 'API key header' },
    pageSize: { title: 'Page size' },
    customers: { title: 'Customers feed', description: 'Where customers are read from' },
    tasks: { title: 'Tasks feed', description: 'Where tasks are read from' },
  },
};
const FEED_HELP: Record<string, { title?: string; description?: string }> = {
  from: { title: 'Feed kind', description: 'odata or api (JSON lists), csv-url or csv-file' },
  path: { title: 'Path', description: 'URL path under the base URL, or the file path of a dropped CSV' },
  key: { title: 'Key column' },
  cursor: { title: 'Updated-at column', description: 'Empty for a CSV snapshot diffed against the previous one' },
  updatedAfterParam: { title: 'Watermark parameter', description: 'api feeds: the query parameter taking the watermark' },
  delimiter: { title: 'CSV delimiter' },
  allowEmptySnapshot: { title: 'Allow an empty snapshot', description: 'An export with no rows is refused unless this is set' },
  completedColumn: { title: 'Completed column' },
  customerColumn: { title: 'Customer column' },
  dueColumn: { title: 'Due-date column' },
};
for (const entity of ['customers', 'tasks']) for (const [k, v] of Object.entries(FEED_HELP)) HELP.erp![`${entity}.${k}`] = v;

const toJson = (schema: z.ZodType): Json => {
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete s.$schema;
  return s;
};

/** Adds titles and descriptions from `help` (never replacing the connector's own) down the object properties. */
function annotate(schema: Json, help: Record<string, { title?: string; description?: string }>, prefix = ''): void {
  const props = schema.properties as Record<string, Json> | undefined;
  if (!props) return;
  for (const [key, prop] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const h = help[path];
    if (h?.title && prop.title === undefined) prop.title = h.title;
    if (h?.description && prop.description === undefined) prop.description = h.description;
    annotate(prop, help, path);
  }
}

/** An object schema of settings: the source name added, annotated. */
function configOf(app: string, schema: z.ZodType, withSource: boolean): Json {
  const s = toJson(schema);
  if (withSource) (s.properties as Record<string, Json>).source = toJson(source);
  annotate(s, HELP[app] ?? {});
  return s;
}

/** An object schema of secrets: each marked write-only and a password, no other names. */
function secretsOf(app: string, schema: z.ZodType): Json {
  const s = toJson(schema);
  annotate(s, HELP[app] ?? {});
  for (const prop of Object.values(s.properties as Record<string, Json>)) Object.assign(prop, { writeOnly: true, format: 'password' });
  s.additionalProperties = false;
  return s;
}

function requiredOf(config: Json, secrets: Json): string[] {
  return [...((config.required as string[] | undefined) ?? []).map((k) => `config.${k}`), ...((secrets.required as string[] | undefined) ?? []).map((k) => `secrets.${k}`)];
}

function entry(e: Omit<ConnectorSchema, 'secretFields' | 'required'>): ConnectorSchema {
  return { ...e, secretFields: Object.keys(e.secrets.properties as Json), required: requiredOf(e.config, e.secrets) };
}

let built: ConnectorSchema[] | null = null;

/**
 * Every app a connection can be made for, with its form (built once: the schemas are static).
 *
 * @example
 * connectorSchemas().find((c) => c.app === 'webhook')?.required; // ['secrets.signingSecret']
 */
export function connectorSchemas(): ConnectorSchema[] {
  built ??= [
    entry({
      app: 'webhook', connector: 'webhook', title: 'Your app (signed webhooks)', defaultId: 'app-main',
      description: 'Your own application sends signed webhooks (Standard Webhooks, Stripe or GitHub style, or a custom HMAC scheme) to /hooks/<connection id>; recipes read them with trigger.source = the event source.',
      authKinds: [{ kind: 'signing-secret', title: 'HMAC signing secret', secrets: ['signingSecret'] }],
      config: configOf('webhook', webhookConfigSchema, true), secrets: secretsOf('webhook', webhookSecrets),
    }),
    entry({
      app: 'ghl-location', connector: 'ghl', title: 'HighLevel location (GHL)', defaultId: 'ghl-main',
      description: 'A GHL location (sub-account) the recipes write to, by a Private Integration Token or by OAuth (connect through the marketplace app), and whose webhooks they can read.',
      authKinds: [{ kind: 'pit', title: 'Private Integration Token', secrets: ['pit'] }, { kind: 'oauth', title: 'OAuth (marketplace app)', secrets: [], oauth: true }],
      config: configOf('ghl-location', ghlLocationConfig, false), secrets: secretsOf('ghl-location', ghlLocationSecrets),
    }),
    entry({
      app: 'recruitee', connector: 'recruitee', title: 'Recruitee', defaultId: 'recruitee-main',
      description: 'Recruitee candidates, notes and tasks by webhook and by polling the API with a personal API token.',
      authKinds: [{ kind: 'api-token', title: 'Personal API token', secrets: ['token'] }],
      config: configOf('recruitee', recruiteeConfigSchema, true), secrets: secretsOf('recruitee', recruiteeSecretsSchema),
    }),
    entry({
      app: 'connecteam', connector: 'connecteam', title: 'Connecteam', defaultId: 'connecteam-main',
      description: 'Connecteam users by webhook and by polling the API with the company API key.',
      authKinds: [{ kind: 'api-key', title: 'Company API key', secrets: ['apiKey'] }],
      config: configOf('connecteam', connecteamConfigSchema, true), secrets: secretsOf('connecteam', connecteamSecretsSchema),
    }),
    entry({
      app: 'erp', connector: 'erp', title: 'ERP (JSON or CSV pulls)', defaultId: 'erp-main',
      description: 'Customers and tasks pulled on a schedule from an OData-style or JSON API, a CSV URL or a dropped CSV file.',
      authKinds: [{ kind: 'api-key', title: 'API key header', secrets: ['apiKey'] }],
      config: configOf('erp', erpConfigSchema, true), secrets: secretsOf('erp', erpSecrets),
    }),
    entry({
      app: 'ghl-agency', connector: null, title: 'HighLevel agency (OAuth)', defaultId: 'ghl-agency',
      description: 'An agency-level OAuth install (company tokens), from which location tokens are derived.',
      authKinds: [{ kind: 'oauth', title: 'OAuth (marketplace app)', secrets: ['clientSecret'], oauth: true }],
      config: configOf('ghl-agency', ghlAgencyConfig, false), secrets: secretsOf('ghl-agency', ghlAgencySecrets),
    }),
  ];
  return built;
}

/** How a stored connection authenticates: GHL's `config.auth` (pit by default), else the app's one kind. */
export function authKindOf(app: string, config: Record<string, unknown>): string {
  if (app === 'ghl-location') return typeof config.auth === 'string' ? config.auth : 'pit';
  return connectorSchemas().find((c) => c.app === app)?.authKinds[0]?.kind ?? 'none';
}
