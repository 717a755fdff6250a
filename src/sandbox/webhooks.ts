import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { SandboxConfig } from './config.js';
import type { WebhookEvent } from './events.js';
import { newUuid } from './ids.js';
import type { App, WebhookKeys } from './model.js';
import type { Store } from './store.js';

/** Generates the sandbox's own signing keys (Ed25519, and RSA for the legacy header). */
export function generateWebhookKeys(withRsa: boolean): WebhookKeys {
  const ed = generateKeyPairSync('ed25519');
  const rsa = withRsa ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : null;
  const pem = (k: KeyObject, type: 'spki' | 'pkcs8') => k.export({ format: 'pem', type }).toString();
  return {
    ed25519: { publicKey: pem(ed.publicKey, 'spki'), privateKey: pem(ed.privateKey, 'pkcs8') },
    rsa: rsa ? { publicKey: pem(rsa.publicKey, 'spki'), privateKey: pem(rsa.privateKey, 'pkcs8') } : null,
  };
}

/** The public key in the forms verifiers take: PEM, and the raw 32 bytes in base64. */
export function publicKeyForms(keys: WebhookKeys): { pem: string; rawBase64: string; rsaPem: string | null } {
  const der = createPublicKey(keys.ed25519.publicKey).export({ format: 'der', type: 'spki' });
  return { pem: keys.ed25519.publicKey, rawBase64: der.subarray(der.length - 32).toString('base64'), rsaPem: keys.rsa?.publicKey ?? null };
}

export interface DeliveryRecord {
  id: string;
  webhookId: string;
  type: string;
  appId: string;
  url: string;
  attempts: Array<{ at: string; status: number | null; error: string | null }>;
  state: 'pending' | 'delivered' | 'failed';
}

/**
 * The JSON body of one delivery: the event's payload with the app, the time and the webhook id
 * (shared with the catalog's GHL samples).
 *
 * @example
 * deliveryBody({ type: 'ContactUpdate', id: 'c1' }, 'app1', Date.now(), randomUUID());
 */
export function deliveryBody(payload: Record<string, unknown>, appId: string, now: number, webhookId: string): Record<string, unknown> {
  return { ...payload, appId, timestamp: new Date(now).toISOString(), webhookId };
}

/**
 * Delivers events to each app's webhook URL, signed over the raw body with Ed25519 in
 * `x-ghl-signature` (and RSA-SHA256 in `x-wh-signature` when legacy signing is on). Like GHL,
 * a delivery is retried only when the receiver answers 429.
 */
export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  private edKey: KeyObject | null = null;
  private rsaKey: KeyObject | null = null;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly config: SandboxConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keys in the state, created on first use. */
  keys(): WebhookKeys {
    const state = this.store.state;
    if (!state.webhookKeys || (this.config.webhooks.legacySignature && !state.webhookKeys.rsa)) {
      const fresh = generateWebhookKeys(this.config.webhooks.legacySignature);
      state.webhookKeys = { ed25519: state.webhookKeys?.ed25519 ?? fresh.ed25519, rsa: state.webhookKeys?.rsa ?? fresh.rsa };
      this.edKey = this.rsaKey = null;
      this.store.touch();
    }
    return state.webhookKeys;
  }

  /** Signs a raw body the way GHL does; exposed so tests and fakes can produce valid deliveries. */
  signatures(rawBody: Buffer): Record<string, string> {
    const keys = this.keys();
    this.edKey ??= createPrivateKey(keys.ed25519.privateKey);
    const headers: Record<string, string> = { 'x-ghl-signature': sign(null, rawBody, this.edKey).toString('base64') };
    if (this.config.webhooks.legacySignature && keys.rsa) {
      this.rsaKey ??= createPrivateKey(keys.rsa.privateKey);
      headers['x-wh-signature'] = sign('sha256', rawBody, this.rsaKey).toString('base64');
    }
    return headers;
  }

  /** Recipients: apps with a webhook URL installed on the event's location (or company). */
  private recipients(event: WebhookEvent): App[] {
    const { apps, installations, tokens } = this.store.state;
    return Object.values(apps).filter((app) => {
      if (!app.webhookUrl) return false;
      if (event.appId) return app.id === event.appId;
      if (event.scope && !app.scopes.includes(event.scope) && !(event.scope === 'contacts.readonly' && app.scopes.includes('contacts.write'))) return false;
      const installed = installations.some((i) => i.appId === app.id && (i.locationId === event.locationId || (i.locationId === null && i.companyId === event.companyId)));
      // An app also "listens" where it holds a live location token (installed via the OAuth flow).
      return installed || Object.values(tokens).some((t) => t.appId === app.id && t.locationId === event.locationId && !t.revoked);
    });
  }

  emit(event: WebhookEvent): void {
    if (this.closed) return;
    for (const app of this.recipients(event)) {
      const webhookId = newUuid();
      const body = deliveryBody(event.payload, app.id, this.now(), webhookId);
      const record: DeliveryRecord = { id: newUuid(), webhookId, type: event.type, appId: app.id, url: app.webhookUrl!, attempts: [], state: 'pending' };
      this.deliveries.push(record);
      if (this.deliveries.length > 2000) this.deliveries.splice(0, this.deliveries.length - 2000);
      this.attempt(record, Buffer.from(JSON.stringify(body)), 0);
    }
  }

  private attempt(record: DeliveryRecord, raw: Buffer, attempt: number): void {
    const run = (async () => {
      const at = new Date(this.now()).toISOString();
      try {
        const res = await fetch(record.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'ghl-bridge-sandbox', ...this.signatures(raw) },
          body: raw,
          signal: AbortSignal.timeout(this.config.webhooks.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        record.attempts.push({ at, status: res.status, error: null });
        const delay = this.config.webhooks.retryDelaysMs[attempt];
        if (res.status === 429 && delay !== undefined && !this.closed) {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            this.attempt(record, raw, attempt + 1);
          }, delay);
          this.timers.add(timer);
          return;
        }
        record.state = res.ok ? 'delivered' : 'failed';
      } catch (error) {
        record.attempts.push({ at, status: null, error: (error as Error).message });
        record.state = 'failed';
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Resolves when every delivery started so far (and its retries) has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timers.size > 0) {
      await Promise.all([...this.inFlight]);
      if (this.timers.size > 0 && this.inFlight.size === 0) await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
