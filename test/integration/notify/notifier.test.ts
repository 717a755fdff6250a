/**
 * The notifier over real parts: a real SMTP server and a real HTTP receiver on loopback, the
 * outbox in a real database (PGlite, and a PostgreSQL server for the concurrent senders).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMES, verifyHmac } from '../../../src/connectors/webhooks/verify.js';
import { migrate } from '../../../src/engine/db/index.js';
import { createNotifier, MAX_ATTEMPTS, startNotifier, type Notifier } from '../../../src/server/notify/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { startReceiver, type TestReceiver } from '../../support/receiver.js';
import { startTestSmtp, type TestSmtp } from '../../support/smtp.js';
import { ADVICE, alertsConfig, CAUSE, capturedLogger, insertIncident, insertNotification, rowsById, SECRETS, secretEnv } from './fixtures.js';

const PUBLIC_URL = 'https://bridge.example.com';

let smtp: TestSmtp;
let rx: TestReceiver;
const logs: string[] = [];
const seenRows: string[] = [];

beforeAll(async () => {
  smtp = await startTestSmtp({ login: { user: SECRETS.smtpUser, password: SECRETS.smtpPassword } });
  rx = await startReceiver();
});
afterAll(async () => {
  await smtp.close();
  await rx.close();
  // what was stored and logged, over every test of this file: no secret in any of it
  const all = [...logs, ...seenRows].join('\n');
  expect(all.length).toBeGreaterThan(1000);
  for (const s of [SECRETS.smtpPassword, SECRETS.slackToken, SECRETS.webhookSecret, SECRETS.webhookSecret.slice(6)]) expect(all.includes(s), `a secret shows: ${s.slice(0, 4)}…`).toBe(false);
});

describe.each(DATABASES)('notifier on %s', (_name, open) => {
  let t: TestDatabase;
  let clock: Date;
  const notifiers: Notifier[] = [];
  const make = (o: { start?: boolean; batchSize?: number; timeoutMs?: number; env?: Record<string, string>; digest?: 'hourly' | 'daily' } = {}) => {
    const { log, lines } = capturedLogger();
    const options = { db: t.db, alerts: alertsConfig({ smtpPort: smtp.port, hookUrl: rx.url('/hooks/alerts'), ...(o.digest ? { digest: o.digest, default: ['mail', 'hook'] } : {}) }), publicUrl: PUBLIC_URL, log, now: () => clock, env: o.env ?? secretEnv(rx.url), pollMs: 20, batchSize: o.batchSize, timeoutMs: o.timeoutMs };
    const n = o.start ? startNotifier(options) : createNotifier(options);
    notifiers.push(n);
    // kept for the file's secret check
    const flush = () => logs.push(...lines.splice(0));
    return Object.assign(n, { flush });
  };
  const hookRequests = () => rx.requests.filter((r) => r.path === '/hooks/alerts');
  const slackRequests = () => rx.requests.filter((r) => r.path.startsWith('/services/'));

  // one database per deployment (opening PGlite is the slow part); the outbox emptied between tests
  beforeAll(async () => {
    t = await open();
    await migrate(t.db);
  });
  afterAll(() => t.drop());
  beforeEach(async () => {
    await t.db.query('truncate notifications, incidents restart identity cascade');
    clock = new Date(Date.now() + 1000);
    smtp.mails.length = 0;
    rx.requests.length = 0;
    rx.answer(200);
  });
  afterEach(async () => {
    for (const n of notifiers.splice(0)) await n.stop();
    const { rows } = await t.db.query('select * from notifications');
    seenRows.push(JSON.stringify(rows));
  });

  it('opened and resolved on e-mail, Slack and a signed webhook: each delivered exactly once, with two senders at once', async () => {
    const incident = await insertIncident(t.db);
    const ids: number[] = [];
    for (const kind of ['opened', 'resolved']) for (const channel of ['mail', 'chat', 'hook']) ids.push(await insertNotification(t.db, { kind, channel, incident: kind === 'resolved' ? { ...incident, status: 'resolved', resolved_at: new Date().toISOString() } : incident }));
    const a = make({ start: true, batchSize: 1 });
    const b = make({ start: true, batchSize: 1 });
    // and by hand, side by side with both loops
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    await expect.poll(async () => [...(await rowsById(t.db)).values()].filter((r) => r.status === 'sent').length, { timeout: 15_000 }).toBe(6);
    // a while longer: nothing else goes out
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all([a.stop(), b.stop()]);
    a.flush();
    b.flush();

    expect(smtp.mails.map((m) => m.subject).sort()).toEqual([`[ghl-bridge] OPENED: ${CAUSE}`, `[ghl-bridge] RESOLVED: ${CAUSE}`]);
    expect(slackRequests()).toHaveLength(2);
    expect(hookRequests()).toHaveLength(2);

    const mail = smtp.mails.find((m) => m.subject.includes('OPENED'))!;
    expect(mail).toMatchObject({ from: 'bridge@example.com', to: ['ops@example.com'], user: SECRETS.smtpUser });
    expect(mail.text).toContain(`What to do: ${ADVICE}`);
    expect(mail.text).toContain(`Incident: ${PUBLIC_URL}/alerts?incident=${incident.id}`);
    expect(mail.text).toContain(`First run: ${PUBLIC_URL}/runs/41`);
    expect(mail.text).toContain(`Latest run: ${PUBLIC_URL}/runs/58`);
    expect(mail.text).toMatch(/Seen 3 times; opened \d{4}-\d\d-\d\d \d\d:\d\d UTC, last seen/);

    const slack = slackRequests().map((r) => JSON.parse(r.body) as { text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ url: string }>; fields?: Array<{ text: string }> }> });
    const opened = slack.find((s) => s.text.includes('OPENED'))!;
    expect(opened.text).toBe(`[ghl-bridge] OPENED: ${CAUSE}`);
    expect(opened.blocks[0]).toMatchObject({ type: 'header', text: { text: `ghl-bridge OPENED: ${CAUSE}` } });
    expect(opened.blocks.map((bl) => bl.text?.text ?? '').join('\n')).toContain(ADVICE);
    expect(opened.blocks.flatMap((bl) => bl.fields ?? []).map((f) => f.text)).toEqual(expect.arrayContaining(['*Count:* 3']));
    expect(opened.blocks.find((bl) => bl.type === 'actions')!.elements![0]!.url).toBe(`${PUBLIC_URL}/alerts?incident=${incident.id}`);

    for (const req of hookRequests()) {
      const verified = verifyHmac(SCHEMES.standardWebhooks, SECRETS.webhookSecret, { rawBody: req.body, headers: req.headers });
      expect(verified).toMatchObject({ ok: true });
      // a wrong secret must not verify: the check is real
      expect(verifyHmac(SCHEMES.standardWebhooks, 'whsec_' + Buffer.from('another-secret-key-0123').toString('base64'), { rawBody: req.body, headers: req.headers }).ok).toBe(false);
    }
    const events = hookRequests().map((r) => ({ id: r.headers['webhook-id'], event: JSON.parse(r.body) as { type: string; id: string; incident: { id: number; cause: string; status: string }; links: Record<string, string> } }));
    expect(events.map((e) => e.event.type).sort()).toEqual(['incident.opened', 'incident.resolved']);
    for (const e of events) expect(e.event.id).toBe(e.id);
    expect(events[0]!.event).toMatchObject({ incident: { id: incident.id, cause: CAUSE }, links: { incident: `${PUBLIC_URL}/alerts?incident=${incident.id}`, firstRun: `${PUBLIC_URL}/runs/41`, latestRun: `${PUBLIC_URL}/runs/58`, console: `${PUBLIC_URL}/` } });

    const rows = await rowsById(t.db);
    for (const id of ids) expect(rows.get(id)).toMatchObject({ status: 'sent', attempts: 0, last_error: null, claimed_by: null, sent_at: expect.any(Date) });
  });

  it('a receiver that is down: the row stays pending with attempts and the reason, the database is free meanwhile, and it is delivered once when the receiver is back', async () => {
    const incident = await insertIncident(t.db);
    const hookId = await insertNotification(t.db, { kind: 'opened', channel: 'hook', incident });
    const slackId = await insertNotification(t.db, { kind: 'opened', channel: 'chat', incident });
    const n = make({ timeoutMs: 800 });

    rx.answer(503);
    expect((await n.tick()).map((r) => r.status)).toEqual(['pending', 'pending']);
    let rows = await rowsById(t.db);
    expect(rows.get(hookId)).toMatchObject({ status: 'pending', attempts: 1, last_error: `webhook 127.0.0.1:${rx.port} answered 503: service unavailable` });
    expect(rows.get(slackId)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Slack webhook answered 503: service unavailable' });
    expect(rows.get(hookId)!.next_at.getTime()).toBe(clock.getTime() + 30_000);
    // not due before its backoff
    expect(await n.tick()).toEqual([]);

    // the port closed
    await rx.stop();
    clock = new Date(clock.getTime() + 31_000);
    expect((await n.tick()).map((r) => r.status)).toEqual(['pending', 'pending']);
    rows = await rowsById(t.db);
    expect(rows.get(hookId)).toMatchObject({ attempts: 2, last_error: `webhook 127.0.0.1:${rx.port}: no answer (ECONNREFUSED)` });
    expect(rows.get(hookId)!.next_at.getTime()).toBe(clock.getTime() + 60_000);

    // back, but answering nothing in time: the send holds no lock and no transaction
    await rx.start();
    rx.answer(200);
    clock = new Date(clock.getTime() + 61_000);
    const hang = await hangingReceiver();
    try {
      const slow = make({ timeoutMs: 800, env: { ...secretEnv(rx.url), NT_SLACK_URL: `${hang.url}/services/${SECRETS.slackToken}` } });
      const sending = slow.tick();
      await hang.requested;
      const started = performance.now();
      await t.db.query('select 1');
      await t.db.transaction(async (tx) => tx.query(`select id from notifications where id = $1 for update nowait`, [slackId]));
      expect(performance.now() - started).toBeLessThan(400);
      const results = await sending;
      expect(results.find((r) => r.id === slackId)).toMatchObject({ status: 'pending', error: 'Slack webhook: no answer within 1 s' });
      expect(results.find((r) => r.id === hookId)).toMatchObject({ status: 'sent' });
      slow.flush();
    } finally {
      await hang.close();
    }
    rows = await rowsById(t.db);
    expect(rows.get(hookId)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(rows.get(slackId)).toMatchObject({ status: 'pending', attempts: 3 });
    clock = new Date(clock.getTime() + 121_000);
    expect(await n.tick()).toEqual([{ id: slackId, status: 'sent' }]);
    clock = new Date(clock.getTime() + 3_600_000);
    expect(await n.tick()).toEqual([]);
    n.flush();
    expect(hookRequests().filter((r) => r.answered === 200)).toHaveLength(1);
    expect(slackRequests().filter((r) => r.answered === 200)).toHaveLength(1);
    // the reasons never carry the Slack URL (its token)
    for (const r of (await rowsById(t.db)).values()) expect(r.last_error ?? '').not.toContain('/services/');
  });

  it('no such channel, or a secret not in the environment: failed at once, or retried, each with a clear reason', async () => {
    const incident = await insertIncident(t.db);
    const gone = await insertNotification(t.db, { kind: 'opened', channel: 'pager', incident });
    const noEnv = await insertNotification(t.db, { kind: 'opened', channel: 'chat', incident });
    const { NT_SLACK_URL: _url, ...env } = secretEnv(rx.url);
    const n = make({ env });
    await n.tick();
    n.flush();
    const rows = await rowsById(t.db);
    expect(rows.get(gone)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'no channel "pager" in alerts.channels (configured: mail, chat, hook)' });
    expect(rows.get(noEnv)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'env NT_SLACK_URL is not set (the Slack incoming-webhook URL)' });
    expect(rx.requests).toHaveLength(0);
  });

  it('SMTP refusals keep their codes (a refused message, a refused login), never the password; the last attempt gives up', async () => {
    const incident = await insertIncident(t.db);
    const id = await insertNotification(t.db, { kind: 'opened', channel: 'mail', incident });
    smtp.refuseNext(451, 'Temporary local problem');
    const n = make();
    await n.tick();
    expect((await rowsById(t.db)).get(id)).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/^SMTP 127\.0\.0\.1:\d+: the SMTP server refused the message \(EMESSAGE 451\): 451 Temporary local problem$/) });

    const wrong = make({ env: { ...secretEnv(rx.url), NT_SMTP_PASSWORD: 'not-the-password-42' } });
    clock = new Date(clock.getTime() + 31_000);
    await wrong.tick();
    const row = (await rowsById(t.db)).get(id)!;
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_error: expect.stringContaining('refused the login (check the user and password env vars) (EAUTH 535)') });
    expect(row.last_error).not.toContain('not-the-password-42');
    expect(smtp.logins.some((l) => l.password === 'not-the-password-42')).toBe(true);

    await t.db.query('update notifications set attempts = $2, next_at = now() where id = $1', [id, MAX_ATTEMPTS - 1]);
    clock = new Date(Date.now() + 1000);
    await wrong.tick();
    expect((await rowsById(t.db)).get(id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    n.flush();
    wrong.flush();
    expect(logs.join('').includes('not-the-password-42')).toBe(false);
    expect(smtp.mails).toHaveLength(0);
  });

  it('alerts test: a test message sent at once; a failing channel answers its error and the row is failed', async () => {
    const n = make();
    expect(await n.sendTest('hook')).toMatchObject({ status: 'sent' });
    const event = JSON.parse(hookRequests()[0]!.body) as { type: string; links: { console: string } };
    expect(event).toMatchObject({ type: 'test', links: { console: `${PUBLIC_URL}/` } });
    rx.answer(503);
    const failed = await n.sendTest('chat');
    expect(failed).toMatchObject({ status: 'failed', error: 'Slack webhook answered 503: service unavailable' });
    expect((await rowsById(t.db)).get(failed.id)).toMatchObject({ kind: 'test', status: 'failed', attempts: 1 });
    await expect(n.sendTest('nope')).rejects.toThrow('no channel "nope" in alerts.channels (configured: mail, chat, hook)');
    // the loop never sends a test row again
    clock = new Date(clock.getTime() + 86_400_000);
    expect(await n.tick()).toEqual([]);
    n.flush();
  });
});

describe('digest', () => {
  it.each(DATABASES)('on %s: one message per default channel listing the open incidents, once per hour, none when nothing is open', async (_name, open) => {
    const t = await open();
    try {
      await migrate(t.db);
      smtp.mails.length = 0;
      rx.requests.length = 0;
      rx.answer(200);
      let clock = new Date('2030-01-01T10:05:00Z');
      const { log, lines } = capturedLogger();
      const n = createNotifier({ db: t.db, alerts: alertsConfig({ smtpPort: smtp.port, hookUrl: rx.url('/hooks/alerts'), digest: 'hourly', default: ['mail', 'hook'] }), publicUrl: PUBLIC_URL, log, now: () => clock, env: secretEnv(rx.url) });
      expect(await n.tick()).toEqual([]);
      const a = await insertIncident(t.db, { cause: 'recipe a: dead letters' });
      const b = await insertIncident(t.db, { cause: 'connection ghl-main: re-authorize' });
      const gone = await insertIncident(t.db, { cause: 'resolved already' });
      await t.db.query(`update incidents set status = 'resolved', resolved_at = now() where id = $1`, [gone.id]);
      expect((await n.tick()).map((r) => r.status)).toEqual(['sent', 'sent']);
      expect(smtp.mails.map((m) => m.subject)).toEqual(['[ghl-bridge] DIGEST: 2 open incidents']);
      expect(smtp.mails[0]!.text).toContain(`${PUBLIC_URL}/alerts?incident=${a.id}`);
      expect(smtp.mails[0]!.text).toContain('connection ghl-main: re-authorize');
      expect(smtp.mails[0]!.text).not.toContain('resolved already');
      const hook = rx.requests.filter((r) => r.path === '/hooks/alerts');
      expect(hook).toHaveLength(1);
      const event = JSON.parse(hook[0]!.body) as { type: string; incidents: Array<{ incident: { id: number }; links: { incident: string } }> };
      expect(event.type).toBe('incident.digest');
      expect(event.incidents.map((i) => i.incident.id).sort()).toEqual([a.id, b.id].sort());
      // the same hour: nothing more; the next one: again
      clock = new Date('2030-01-01T10:59:00Z');
      expect(await n.tick()).toEqual([]);
      clock = new Date('2030-01-01T11:00:30Z');
      expect(await n.tick()).toHaveLength(2);
      expect(smtp.mails).toHaveLength(2);
      logs.push(...lines);
    } finally {
      await t.drop();
    }
  });
});

/** Accepts a request and never answers (until closed). */
async function hangingReceiver() {
  const { createServer } = await import('node:http');
  let seen: () => void = () => undefined;
  const requested = new Promise<void>((r) => (seen = r));
  const server = createServer(() => seen());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requested,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
