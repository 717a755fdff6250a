/**
 * What the overview, syncs and alerts browser tests share: a server with the sign-up and ERP
 * recipes, their three connections, and real runs made through it (signed deliveries of the
 * webhook connector; one the recipe cannot map, so it is dead).
 */
import { expect } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import { startServerHarness, type ServerHarness } from '../server/harness.js';

export const SIGNING_SECRET = 'whsec_Y29uc29sZS1oNC10ZXN0LXNpZ25pbmctc2VjcmV0';
export const ERP_KEY = 'erp-secret-key-console-h4-0123456789';

export interface ConsoleWorld {
  h: ServerHarness;
  erp: ErpFake;
  deliver(event: Record<string, unknown>, id: string, secret?: string): Promise<number>;
  settled(): Promise<void>;
  close(): Promise<void>;
}

export const signup = (id: string, extra: Record<string, unknown> = {}) => ({ type: 'user.created', data: { id, email: `${id}@console.test`, name: `Ada ${id}`, plan: 'pro', createdAt: '2026-12-01T10:00:00Z', ...extra } });

/** No sign-up date and no plan: the recipe's task and note cannot be mapped, so the run is dead. */
export const brokenSignup = (id: string) => ({ type: 'user.created', data: { id, email: `${id}@console.test`, name: `Broken ${id}` } });

export async function startWorld(o: { customers?: number; alerts?: Record<string, unknown> } = {}): Promise<ConsoleWorld> {
  const erp = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= (o.customers ?? 5); i++) erp.upsertCustomer({ id: `K${i}`, name: `Console Customer${i}`, email: `k${i}@console.test` });
  const h = await startServerHarness({ recipes: ['app-signup', 'erp-customers'], ...(o.alerts ? { alerts: o.alerts } : {}) });
  await h.bridge.engine.startWorker({ concurrency: 2, pollingIntervalSeconds: 0.2 });
  const connections = [
    { id: 'ghl-main', app: 'ghl-location', name: 'Dental clinic', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } },
    { id: 'app-main', app: 'webhook', name: 'My app', config: { source: 'my-app' }, secrets: { signingSecret: SIGNING_SECRET } },
    { id: 'erp-main', app: 'erp', name: 'ERP', config: { baseUrl: erp.url, pageSize: 2 }, secrets: { apiKey: ERP_KEY } },
  ];
  for (const body of connections) expect((await h.call('POST', '/api/v1/connections', { body })).status).toBe(201);
  return {
    h,
    erp,
    async deliver(event, id, secret = SIGNING_SECRET) {
      const body = JSON.stringify(event);
      return (await h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: standardWebhookHeaders(secret, { id, timestamp: Math.floor(Date.now() / 1000), body }) })).status;
    },
    async settled() {
      const end = Date.now() + 20_000;
      for (;;) {
        const { rows } = await h.bridge.db.query<{ n: string }>(`select count(*) as n from runs where status in ('queued', 'running')`);
        if (Number(rows[0]!.n) === 0) return;
        if (Date.now() > end) throw new Error('runs did not settle');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await h.close();
      await erp.close();
    },
  };
}
