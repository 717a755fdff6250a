import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULE_NAMES } from '../../../src/config/alerts.js';
import { ROOT } from '../cli/harness.js';
import { startServerHarness, type ServerHarness } from './harness.js';
import { CONNECTIONS, signFor } from './signed-deliveries.js';

/**
 * GET /metrics of a real server after varied traffic (signed and refused webhooks, runs that
 * succeed and die, admin API reads by id, unknown paths): the scrape token is required, every
 * label value is bounded (no record, contact, run or event id), the issue-12 gauges render on
 * empty tables, and every metric the ops docs use exists in the scrape.
 */

const METRICS_TOKEN = 'metrics-test-token-0123456789abcdef';
const USERS = ['usr_m1', 'usr_m2', 'usr_m3', 'usr_m4'];

let h: ServerHarness;
let scrape: string | undefined;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The sample lines of a Prometheus text exposition, labels parsed (values unescaped). */
function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** Every metric name a scrape declares (`# TYPE`), histograms with their `_bucket`, `_sum`, `_count` series. */
function declaredNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(m[1]!);
    if (m[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${m[1]!}${s}`);
  }
  return names;
}

/**
 * A label value that names one record: one of the ids the traffic used, or a part of it (path
 * segment, word) that is a number, an email, a long opaque id (not a camelCase word), or mixes
 * digits in (the API's `v1` aside). Route templates (`{connectionId}`), operation ids, rule names
 * and statuses pass.
 */
function idLike(value: string, ids: string[]): boolean {
  if (ids.some((id) => id.length >= 5 && value.includes(id))) return true;
  const opaque = (seg: string) => (seg.match(/[A-Za-z0-9]{16,}/g) ?? []).some((run) => !/^[a-z]+(?:[A-Z][a-z]+)*$/.test(run));
  return value.split(/[/ ]/).some((seg) => ids.includes(seg) || seg.includes('@') || opaque(seg) || (/\d/.test(seg) && !/^v\d+$/.test(seg)));
}

async function runsSettled(): Promise<Array<{ id: number; eventId: number; status: string }>> {
  const until = Date.now() + 20_000;
  for (;;) {
    const { json } = await h.call('GET', '/api/v1/runs?recipe=app-signup');
    const items = (json.items ?? []) as Array<{ id: number; eventId: number; status: string }>;
    if (items.length >= USERS.length && items.every((r) => r.status !== 'queued' && r.status !== 'running')) return items;
    if (Date.now() > until) throw new Error(`runs did not settle: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  h = await startServerHarness({ metricsToken: METRICS_TOKEN });
  await h.bridge.engine.startWorker({ concurrency: 2, pollingIntervalSeconds: 0.2 });
  for (const c of CONNECTIONS(h).slice(0, 2)) expect((await h.call('POST', '/api/v1/connections', { body: c })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('GET /metrics', () => {
  it('needs the scrape token when metrics.tokenEnv is set: missing and wrong get the same 401', async () => {
    const none = await h.call('GET', '/metrics', { token: null });
    const wrong = await h.call('GET', '/metrics', { token: 'metrics-test-token-0123456789abcdeX' });
    const admin = await h.call('GET', '/metrics');
    for (const r of [none, wrong, admin]) expect(r.status).toBe(401);
    expect(wrong.text).toBe(none.text);
    expect(wrong.headers.get('www-authenticate')).toBe(none.headers.get('www-authenticate'));
    expect(none.text).not.toContain(METRICS_TOKEN);
    const ok = await h.call('GET', '/metrics', { token: METRICS_TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(h.logs.join('')).not.toContain(METRICS_TOKEN);
  });

  it('renders the incident and notification gauges on empty tables: one zero series per rule', async () => {
    const text = (await h.call('GET', '/metrics', { token: METRICS_TOKEN })).text;
    const open = samples(text).filter((s) => s.name === 'ghlbridge_incidents_open');
    expect(open.map((s) => s.labels.rule).sort()).toEqual([...RULE_NAMES].sort());
    expect(open.every((s) => s.value === 0)).toBe(true);
    expect(text).toMatch(/^# TYPE ghlbridge_notifications gauge$/m);
    expect(text).toMatch(/^# TYPE ghlbridge_notifications_total counter$/m);
  });

  it('after varied traffic, no label value is a record, contact, run or event id', async () => {
    for (const [i, id] of USERS.slice(0, 3).entries()) {
      const raw = JSON.stringify({ type: 'user.created', data: { id, email: `${id}@metrics.test`, name: `Metric User${i}`, plan: 'pro', createdAt: new Date().toISOString() } });
      expect((await h.call('POST', '/hooks/app-main', { raw, token: null, headers: signFor(h, 'webhook', raw) })).status).toBe(200);
    }
    // no createdAt for the welcome task's due date: this run dies (MAPPING) before any step
    const dies = JSON.stringify({ type: 'user.created', data: { id: 'usr_m4', email: 'usr_m4@metrics.test', name: 'Metric Dies' } });
    expect((await h.call('POST', '/hooks/app-main', { raw: dies, token: null, headers: signFor(h, 'webhook', dies) })).status).toBe(200);
    const refused = JSON.stringify({ type: 'user.created', data: { id: 'usr_refused' } });
    expect((await h.call('POST', '/hooks/app-main', { raw: refused, token: null, headers: { ...signFor(h, 'webhook', refused), 'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl' } })).status).toBe(401);
    expect((await h.call('POST', '/hooks/no-such-connection-usr_m1', { raw: refused, token: null })).status).toBeGreaterThanOrEqual(400);
    const runs = await runsSettled();
    expect(runs.map((r) => r.status).sort()).toEqual(['dead', 'succeeded', 'succeeded', 'succeeded']);
    const dead = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'run.dead-lettered');
    expect(dead).toMatchObject({ level: 40, recipeId: 'app-signup', connection: 'ghl-main', errorCode: 'MAPPING', step: null, cause: expect.stringMatching(/^actions\[1\]\.dueDate: required: no value at "data\.createdAt"/) });
    const contacts = ((await h.sb.api<{ contacts: Array<{ id: string }> }>('GET', `/_sandbox/locations/${h.sb.info.locationId}/contacts`, { token: null })).body.contacts ?? []).map((c) => c.id);
    expect(contacts.length).toBeGreaterThan(0);
    for (const r of runs) await h.call('GET', `/api/v1/runs/${r.id}`);
    await h.call('GET', `/api/v1/events/${runs[0]!.eventId}`);
    await h.call('GET', `/api/v1/contacts/${contacts[0]}/audit`);
    await h.call('GET', `/nowhere/${USERS[0]}/${contacts[0]}`);

    scrape = (await h.call('GET', '/metrics', { token: METRICS_TOKEN })).text;
    const all = samples(scrape);
    // the traffic reached the counters whose labels could carry ids
    expect(all.some((s) => s.name === 'ghlbridge_run_steps_total' && s.value > 0)).toBe(true);
    expect(all.some((s) => s.name === 'ghlbridge_ghl_calls_total' && s.value > 0)).toBe(true);
    expect(all.some((s) => s.name === 'ghlbridge_webhook_deliveries_total' && s.labels.status === '401')).toBe(true);

    const ids = [...USERS, 'usr_refused', ...contacts, ...runs.map((r) => String(r.id)), ...runs.map((r) => String(r.eventId))];
    const offenders: string[] = [];
    for (const s of all) {
      for (const [key, value] of Object.entries(s.labels)) {
        // numbers are legitimate only as statuses and bucket bounds; a location id only as the budget's location
        if (key === 'le' || (key === 'status' && /^(\d{3}|[a-z-]+)$/.test(value))) continue;
        if (key === 'location') {
          if (value !== h.sb.info.locationId) offenders.push(`${s.name} ${key}=${value}`);
          continue;
        }
        if (idLike(value, ids)) offenders.push(`${s.name} ${key}=${value}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every metric the alerting rules and the dashboard use exists in a real scrape', async () => {
    // the scrape after the traffic above (counters have series then), or a fresh one when run alone
    const declared = declaredNames(scrape ?? (await h.call('GET', '/metrics', { token: METRICS_TOKEN })).text);
    const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
    const alerts = parse(read('docs/ops/prometheus-alerts.yml')) as { groups: Array<{ rules: Array<{ expr: string }> }> };
    const dashboard = JSON.parse(read('docs/ops/grafana-dashboard.json')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const expressions: Array<[string, string[]]> = [
      ['docs/ops/prometheus-alerts.yml', alerts.groups.flatMap((g) => g.rules.map((r) => r.expr))],
      ['docs/ops/grafana-dashboard.json', dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))],
    ];
    for (const [file, exprs] of expressions) {
      const used = new Set(exprs.flatMap((e) => e.match(/\bghlbridge_[a-z0-9_]+/g) ?? []));
      expect(used.size, file).toBeGreaterThan(8);
      expect([...used].filter((name) => !declared.has(name)), file).toEqual([]);
    }
  });
});
