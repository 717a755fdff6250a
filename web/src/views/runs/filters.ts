/** The runs list's filters as the URL holds them, and as the API takes them (the same names). */

export const STATUSES = ['queued', 'running', 'succeeded', 'skipped', 'dead', 'dismissed'] as const;

/** Text filters, in the order of the filter bar. */
export const TEXT_FILTERS = [
  { key: 'recipe', label: 'Recipe', hint: 'recipe id' },
  { key: 'connection', label: 'Connection', hint: 'source connection id' },
  { key: 'record', label: 'Record id', hint: 'source record id or <source>:<id>' },
  { key: 'contact', label: 'GHL contact id', hint: '' },
  { key: 'email', label: 'Email', hint: 'from the plan or the ledger' },
] as const;

export const RANGES = [
  { value: '', label: 'Any time' },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: 'custom', label: 'Custom range' },
] as const;

export type TextKey = (typeof TEXT_FILTERS)[number]['key'];

/** What the list asks the API (undefined fields are left out of the query). */
export interface RunQuery {
  status?: string;
  recipe?: string;
  connection?: string;
  record?: string;
  contact?: string;
  email?: string;
  since?: string;
  until?: string;
}

/**
 * The API query from the URL: `range=1h|24h|7d` becomes `since` (rounded down to the minute, so
 * the query stays the same between polls), `range=custom` keeps `since`/`until` as given.
 */
export function runQueryOf(q: URLSearchParams, now = Date.now()): RunQuery {
  const out: RunQuery = {};
  const status = q.get('status');
  if (status) out.status = status;
  for (const f of TEXT_FILTERS) {
    const v = q.get(f.key)?.trim();
    if (v) out[f.key] = v;
  }
  const range = RANGES.find((r) => r.value === (q.get('range') ?? ''));
  if (range && 'ms' in range) out.since = new Date(Math.floor((now - range.ms) / 60_000) * 60_000).toISOString();
  if (range?.value === 'custom') {
    const since = q.get('since');
    const until = q.get('until');
    if (since) out.since = since;
    if (until) out.until = until;
  }
  return out;
}

/** The bulk actions' selection: the list's filters but status (a bulk action is on dead letters). */
export function selectionOf(query: RunQuery): Omit<RunQuery, 'status'> & { all?: true } {
  const { status: _status, ...rest } = query;
  return Object.keys(rest).length > 0 ? rest : { all: true };
}

/** Whether the status filter lets dead letters show (else there is nothing to replay or dismiss). */
export const showsDead = (query: RunQuery) => !query.status || query.status.split(',').includes('dead');

/** `2026-12-04T20:15` (a datetime-local value) ⇄ ISO, in the person's time zone. */
export function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
