import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMES, verifyHmac } from '../../../src/connectors/webhooks/verify.js';
import { startIncidentMonitor, type IncidentMonitor } from '../../../src/engine/incidents/index.js';
import { createEngine, type Engine } from '../../../src/engine/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { startNotifier, type Notifier } from '../../../src/server/notify/index.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startReceiver, type TestReceiver } from '../../support/receiver.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { startTestSmtp, type TestSmtp } from '../../support/smtp.js';
import { failingRecipe, fixedRecipe, signup } from '../incidents/fixtures.js';
import { alertsConfig, capturedLogger, SECRETS, secretEnv } from '../notify/fixtures.js';

/**
 * Issue 12's acceptance, end to end with real parts: 1,000 runs dead for one cause, with the
 * incident monitor and the notifier running as they do in `start`, reach people as exactly one
 * "opened" e-mail (a real SMTP server), one Slack message and one signed webhook (a real HTTP
 * receiver); after the recipe is fixed and its dead letters replayed with the new version, as
 * exactly one "resolved" each. The webhook's Standard Webhooks signature verifies.
 */
let t: TestDatabase;
let sb: TestSandbox;
let smtp: TestSmtp;
let rx: TestReceiver;
let engine: Engine;
let monitor: IncidentMonitor;
let notifier: Notifier;

beforeAll(async () => {
  [t, sb, smtp, rx] = await Promise.all([pgliteDatabase(), startSandbox(), startTestSmtp({ login: { user: SECRETS.smtpUser, password: SECRETS.smtpPassword } }), startReceiver()]);
  Object.assign(process.env, secretEnv(rx.url));
  const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId });
  engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }) });
  await engine.saveRecipe(failingRecipe);
  // the default rules, every channel: auto-pause off only, since it would (rightly) stop the flood at 50
  const alerts = { ...alertsConfig({ smtpPort: smtp.port, hookUrl: rx.url('/alerts') }), default: ['mail', 'chat', 'hook'] };
  alerts.rules = { ...alerts.rules, autoPause: { ...alerts.rules.autoPause, enabled: false } };
  monitor = startIncidentMonitor({ db: t.db, alerts: { ...alerts, checkSeconds: 0.2 } });
  notifier = startNotifier({ db: t.db, alerts, publicUrl: 'http://127.0.0.1:8787', log: capturedLogger().log, pollMs: 100 });
  await engine.startWorker({ concurrency: 8, batchSize: 50 });
}, 60_000);
afterAll(async () => {
  await notifier?.stop();
  await monitor?.stop();
  await engine?.close();
  await Promise.all([sb?.close(), smtp?.close(), rx?.close()]);
  await t?.drop().catch(() => undefined);
});

const slack = () => rx.requests.filter((r) => r.path.startsWith('/services/'));
const hooks = () => rx.requests.filter((r) => r.path === '/alerts');
const delivered = () => ({ mails: smtp.mails.map((m) => m.subject.split(':')[0]), slack: slack().length, hooks: hooks().map((r) => (JSON.parse(r.body) as { type: string }).type) });

describe('one cause, one message', () => {
  it('1,000 dead runs → one opened message per channel; fixed and replayed → one resolved each', async () => {
    for (let i = 0; i < 1000; i++) await engine.ingest(signup(i));
    expect(await settleRuns(t.db)).toEqual({ dead: 1000 });
    await expect.poll(delivered, { timeout: 20_000 }).toEqual({ mails: ['[ghl-bridge] OPENED'], slack: 1, hooks: ['incident.opened'] });
    // the monitor goes on looking while they stay dead: nothing more is sent
    await new Promise((r) => setTimeout(r, 1500));
    expect(delivered()).toEqual({ mails: ['[ghl-bridge] OPENED'], slack: 1, hooks: ['incident.opened'] });
    expect(smtp.mails[0]!.text).toContain('signup-tasks');
    // the monitor's snapshot reaches the message whole: the deep links to its example runs are there
    expect(smtp.mails[0]!.text).toContain('http://127.0.0.1:8787/runs/');

    // the webhook is signed with the channel's secret, over the exact bytes
    const hook = hooks()[0]!;
    const headers = Object.fromEntries(Object.entries(hook.headers).map(([k, v]) => [k, String(v)]));
    expect(verifyHmac(SCHEMES.standardWebhooks, SECRETS.webhookSecret, { rawBody: hook.body, headers })).toMatchObject({ ok: true });
    expect(verifyHmac(SCHEMES.standardWebhooks, 'whsec_b3RoZXItc2VjcmV0LW5vdC1vdXJzLTAxMjM0NTY3', { rawBody: hook.body, headers })).toMatchObject({ ok: false });

    // the fix: a new version, and its dead letters replayed with it
    await engine.saveRecipe(fixedRecipe);
    const replayed = await engine.replayDeadLetters({ recipeId: failingRecipe.id });
    expect(replayed).toHaveLength(1000);
    expect(new Set(replayed.map((r) => r.toVersion))).toEqual(new Set([2]));
    expect(await settleRuns(t.db)).toEqual({ succeeded: 1000 });
    await expect.poll(delivered, { timeout: 20_000 }).toEqual({ mails: ['[ghl-bridge] OPENED', '[ghl-bridge] RESOLVED'], slack: 2, hooks: ['incident.opened', 'incident.resolved'] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(delivered()).toEqual({ mails: ['[ghl-bridge] OPENED', '[ghl-bridge] RESOLVED'], slack: 2, hooks: ['incident.opened', 'incident.resolved'] });
    const { rows } = await t.db.query<{ rule: string; status: string }>('select rule, status from incidents');
    expect(rows).toEqual([{ rule: 'deadLetter', status: 'resolved' }]);
  }, 180_000);
});
