import { newId } from './ids.js';

/**
 * Fault injection for tests and chaos runs. A rule matches requests by method and path pattern
 * (`*` matches one path segment, `**` any rest) and, with probability `rate`, does one thing:
 * answer an error status, add latency, drop the connection, or switch on one of GHL's known quirks.
 */
export type FaultKind = 'status' | 'latency' | 'drop' | 'quirk';
export type Quirk = 'create-422-but-stored' | 'upsert-drops-field';
export const QUIRKS: readonly Quirk[] = ['create-422-but-stored', 'upsert-drops-field'];
export const FAULT_STATUSES = [429, 500, 502, 503, 504] as const;

export interface FaultRule {
  id: string;
  method: string | null;
  path: string;
  kind: FaultKind;
  /** probability 0..1 that a matching request is hit */
  rate: number;
  status?: number;
  latencyMs?: number;
  quirk?: Quirk;
  /** field `upsert-drops-field` drops (default: the first non-identity field sent) */
  field?: string;
  /** stop after this many hits (null: no limit) */
  times: number | null;
  hits: number;
}

export type FaultInput = Partial<Omit<FaultRule, 'id' | 'hits'>> & { path?: string };

function compile(pattern: string): RegExp {
  const body = pattern
    .replace(/\/+$/, '')
    .split('/')
    .map((seg) => (seg === '**' ? '.*' : seg === '*' ? '[^/]+' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}/?$`);
}

/** Validates a rule from the admin API or the CLI, with messages naming the field. */
export function parseFaultRule(input: FaultInput): FaultRule {
  const problems: string[] = [];
  const path = typeof input.path === 'string' && input.path.startsWith('/') ? input.path : null;
  if (!path) problems.push('path must be a path pattern starting with /');
  const kind = input.kind ?? (input.quirk ? 'quirk' : input.status ? 'status' : input.latencyMs ? 'latency' : undefined);
  if (!kind || !['status', 'latency', 'drop', 'quirk'].includes(kind)) problems.push('kind must be one of status, latency, drop, quirk');
  const rate = input.rate ?? 1;
  if (typeof rate !== 'number' || rate < 0 || rate > 1) problems.push('rate must be a number from 0 to 1');
  if (kind === 'status' && !FAULT_STATUSES.includes(input.status as (typeof FAULT_STATUSES)[number])) {
    problems.push(`status must be one of ${FAULT_STATUSES.join(', ')}`);
  }
  if (kind === 'latency' && !(typeof input.latencyMs === 'number' && input.latencyMs >= 0 && input.latencyMs <= 120_000)) {
    problems.push('latencyMs must be a number from 0 to 120000');
  }
  if (kind === 'quirk' && !QUIRKS.includes(input.quirk as Quirk)) problems.push(`quirk must be one of ${QUIRKS.join(', ')}`);
  if (input.times != null && !(Number.isInteger(input.times) && input.times > 0)) problems.push('times must be a positive integer');
  if (input.method != null && typeof input.method !== 'string') problems.push('method must be a string');
  if (problems.length > 0) throw new FaultRuleError(problems);
  return {
    id: newId(12),
    method: input.method ? input.method.toUpperCase() : null,
    path: path!,
    kind: kind!,
    rate,
    status: input.status,
    latencyMs: input.latencyMs,
    quirk: input.quirk,
    field: input.field,
    times: input.times ?? null,
    hits: 0,
  };
}

export class FaultRuleError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * `--fault` flag syntax: JSON, or `key=value` pairs separated by commas, e.g.
 * `path=/contacts/**,status=503,rate=0.2` or `method=POST,path=/contacts/,quirk=create-422-but-stored`.
 */
export function parseFaultFlag(text: string): FaultRule {
  if (text.trim().startsWith('{')) return parseFaultRule(JSON.parse(text) as FaultInput);
  const input: Record<string, unknown> = {};
  for (const pair of text.split(',')) {
    const [key, ...rest] = pair.split('=');
    const value = rest.join('=').trim();
    if (!key || value === '') throw new FaultRuleError([`cannot read "${pair}" (expected key=value)`]);
    input[key.trim()] = ['rate', 'status', 'latencyMs', 'times'].includes(key.trim()) ? Number(value) : value;
  }
  return parseFaultRule(input as FaultInput);
}

export class FaultInjector {
  private rules: Array<{ rule: FaultRule; re: RegExp }> = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(rule: FaultRule): FaultRule {
    this.rules.push({ rule, re: compile(rule.path) });
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /**
   * The rules of `kinds` (and `only`, when given) that fire for this request, each counted as a
   * hit; rules left out by `only` are neither drawn nor counted.
   */
  fire(method: string, path: string, kinds: FaultKind[], only?: (rule: FaultRule) => boolean): FaultRule[] {
    if (this.rules.length === 0) return [];
    const fired: FaultRule[] = [];
    for (const { rule, re } of this.rules) {
      if (!kinds.includes(rule.kind)) continue;
      if (only && !only(rule)) continue;
      if (rule.method && rule.method !== method) continue;
      if (!re.test(path)) continue;
      if (rule.times !== null && rule.hits >= rule.times) continue;
      if (this.random() >= rule.rate) continue;
      rule.hits++;
      fired.push(rule);
    }
    return fired;
  }
}
