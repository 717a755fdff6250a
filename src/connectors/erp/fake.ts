/**
 * A fake ERP for tests and demos: customers and tasks over JSON with API-key auth, OData-style
 * lists (`$filter` with gt/ge/eq/lt and `and`/`or`/parentheses, `$top`, `$skip`, `@odata.nextLink`)
 * or `updatedAfter`/`limit`/`offset`, single records, PATCH, and CSV exports
 * (`GET /export/customers.csv`: `;`, BOM, quoted fields; `?snapshot=1` leaves out the updated-at column).
 * Every change stamps `lastModifiedDateTime` (strictly increasing), unless it changes nothing.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compareKeys, compareStamps } from './cursor.js';
import { toCsv } from './csv.js';

export interface ErpCustomer {
  id: string;
  name: string;
  email?: string;
  phone?: string;
  companyName?: string;
  city?: string;
  lastModifiedDateTime: string;
  [field: string]: unknown;
}

export interface ErpTask {
  id: string;
  customerId: string;
  subject: string;
  description?: string;
  dueDate: string;
  completed: boolean;
  lastModifiedDateTime: string;
  [field: string]: unknown;
}

export interface ErpFakeOptions {
  port?: number;
  apiKey: string;
  /** Header carrying the key (default `x-api-key`). */
  apiKeyHeader?: string;
  /** Largest `$top`/`limit` served (default 1000): a larger ask gets a short page and a nextLink. */
  maxTop?: number;
  /**
   * Order of `updatedAfter`/`limit`/`offset` lists: `updated` (by lastModifiedDateTime, id) or
   * `id`, as many ERPs answer a plain list whatever filter it has (default `updated`).
   */
  apiOrder?: 'updated' | 'id';
  /** false: `$filter` is ignored (ERPs with only $top/$skip); default true */
  odataFilter?: boolean;
}

type Entity = 'customers' | 'tasks';
type Rec = Record<string, unknown> & { id: string; lastModifiedDateTime: string };

const CUSTOMER_COLUMNS = ['id', 'name', 'email', 'phone', 'companyName', 'city', 'lastModifiedDateTime'];
const TASK_COLUMNS = ['id', 'customerId', 'subject', 'description', 'dueDate', 'completed', 'lastModifiedDateTime'];

// ---- a tiny OData $filter evaluator: comparisons joined by and/or, with parentheses ----
type Token = { kind: 'word' | 'text' | '(' | ')'; value: string };
type Filter = (rec: Rec) => boolean;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === ' ') i++;
    else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch, value: ch });
      i++;
    } else if (ch === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new Error('unclosed quote in $filter');
        if (input[i] === "'" && input[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (input[i] === "'") {
          i++;
          break;
        } else text += input[i++];
      }
      tokens.push({ kind: 'text', value: text });
    } else {
      const m = /^[^\s()']+/.exec(input.slice(i))!;
      tokens.push({ kind: 'word', value: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

function compareCell(a: unknown, b: string): number {
  const x = a === undefined || a === null ? '' : String(a);
  return /^\d{4}-\d{2}-\d{2}/.test(x) && /^\d{4}-\d{2}-\d{2}/.test(b) ? compareStamps(x, b) : compareKeys(x, b);
}

/** Parses a `$filter` (throws on anything it does not know: the fake answers 400). */
export function parseODataFilter(input: string): Filter {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const expr = (): Filter => {
    let left = term();
    while (peek()?.value === 'or') {
      pos++;
      const l = left;
      const r = term();
      left = (rec) => l(rec) || r(rec);
    }
    return left;
  };
  const term = (): Filter => {
    let left = factor();
    while (peek()?.value === 'and') {
      pos++;
      const l = left;
      const r = factor();
      left = (rec) => l(rec) && r(rec);
    }
    return left;
  };
  const factor = (): Filter => {
    const t = tokens[pos++];
    if (t?.kind === '(') {
      const inner = expr();
      if (tokens[pos++]?.kind !== ')') throw new Error('expected ")" in $filter');
      return inner;
    }
    const op = tokens[pos++];
    const value = tokens[pos++];
    if (t?.kind !== 'word' || op?.kind !== 'word' || !value || (value.kind !== 'word' && value.kind !== 'text')) throw new Error('expected "<field> <op> <value>" in $filter');
    const field = t.value;
    const v = value.value;
    const tests: Record<string, (c: number) => boolean> = { gt: (c) => c > 0, ge: (c) => c >= 0, eq: (c) => c === 0, lt: (c) => c < 0, le: (c) => c <= 0, ne: (c) => c !== 0 };
    const test = tests[op.value];
    if (!test) throw new Error(`unknown operator "${op.value}" in $filter`);
    return (rec) => test(compareCell(rec[field], v));
  };
  const f = expr();
  if (pos !== tokens.length) throw new Error('unexpected text at the end of $filter');
  return f;
}

/**
 * @example
 * const erp = await createErpFake({ apiKey: 'k' });
 * erp.upsertCustomer({ id: 'C1', name: 'Acme Ltd', email: 'ops@acme.test' });
 * await fetch(`${erp.url}/customers?$top=10`, { headers: { 'x-api-key': 'k' } });
 * await erp.close();
 */
export async function createErpFake(options: ErpFakeOptions) {
  const keyHeader = (options.apiKeyHeader ?? 'x-api-key').toLowerCase();
  const maxTop = options.maxTop ?? 1000;
  const store: Record<Entity, Map<string, Rec>> = { customers: new Map(), tasks: new Map() };
  const requests: Array<{ method: string; path: string; query: Record<string, string> }> = [];
  let lastMs = 0;
  let seq = 0;
  /** Strictly increasing stamps, so every change is seen after the previous one. */
  const stamp = () => {
    lastMs = Math.max(Date.now(), lastMs + 1);
    return new Date(lastMs).toISOString();
  };

  function put(entity: Entity, input: Record<string, unknown>, at?: string): Rec {
    const id = String(input.id ?? `${entity === 'customers' ? 'C' : 'T'}${++seq}`);
    const current = store[entity].get(id);
    const next = { ...current, ...input, id } as Rec;
    const changed = !current || Object.keys(input).some((k) => k !== 'lastModifiedDateTime' && JSON.stringify(current[k]) !== JSON.stringify(next[k]));
    if (!changed) return current!;
    next.lastModifiedDateTime = at ?? stamp();
    if (entity === 'tasks') next.completed = Boolean(next.completed);
    store[entity].set(id, next);
    return next;
  }

  function sorted(entity: Entity): Rec[] {
    return [...store[entity].values()].sort((a, b) => compareStamps(a.lastModifiedDateTime, b.lastModifiedDateTime) || compareKeys(a.id, b.id));
  }

  function list(entity: Entity, url: URL): { status: number; body: unknown } {
    const q = url.searchParams;
    let records = sorted(entity);
    const apiStyle = !q.has('$top') && !q.has('$skip') && !q.has('$filter') && (q.has('limit') || q.has('offset') || q.has('updatedAfter'));
    if (apiStyle && options.apiOrder === 'id') records.sort((a, b) => compareKeys(a.id, b.id));
    try {
      const filter = options.odataFilter === false ? null : q.get('$filter');
      if (filter) records = records.filter(parseODataFilter(filter));
    } catch (e) {
      return { status: 400, body: { error: { code: 'BadRequest', message: (e as Error).message } } };
    }
    const after = q.get('updatedAfter');
    if (after) records = records.filter((r) => compareStamps(r.lastModifiedDateTime, after) >= 0);
    const top = Math.min(Number(q.get('$top') ?? q.get('limit') ?? 100) || 100, maxTop);
    const skip = Number(q.get('$skip') ?? q.get('offset') ?? 0) || 0;
    const value = records.slice(skip, skip + top);
    const body: Record<string, unknown> = { value };
    if (skip + top < records.length) {
      const next = new URL(url);
      next.searchParams.set(q.has('limit') ? 'offset' : '$skip', String(skip + top));
      body['@odata.nextLink'] = next.toString();
    }
    return { status: 200, body };
  }

  const server = createServer((req, res) => {
    void handle(req).then(
      ({ status, body, type }) => {
        res.writeHead(status, { 'content-type': type ?? 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });

  async function handle(req: IncomingMessage): Promise<{ status: number; body: unknown; type?: string }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', fake.url);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams) });
    if (req.headers[keyHeader] !== options.apiKey) return { status: 401, body: { error: { code: 'Unauthorized', message: 'missing or wrong API key' } } };
    const csv = /^\/export\/(customers|tasks)\.csv$/.exec(url.pathname);
    if (req.method === 'GET' && csv) {
      const entity = csv[1] as Entity;
      return { status: 200, body: fake.csv(entity, { snapshot: url.searchParams.get('snapshot') === '1' }), type: 'text/csv; charset=utf-8' };
    }
    const m = /^\/(customers|tasks)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return { status: 404, body: { error: { code: 'NotFound', message: 'no such resource' } } };
    const entity = m[1] as Entity;
    const id = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    if (id === undefined) return req.method === 'GET' ? list(entity, url) : { status: 405, body: {} };
    const current = store[entity].get(id);
    if (!current) return { status: 404, body: { error: { code: 'NotFound', message: `${entity} ${id} not found` } } };
    if (req.method === 'GET') return { status: 200, body: current };
    if (req.method === 'PATCH') {
      let patch: unknown;
      try {
        patch = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return { status: 400, body: { error: { code: 'BadRequest', message: 'the body is not JSON' } } };
      }
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return { status: 400, body: { error: { code: 'BadRequest', message: 'expected an object' } } };
      const { id: _id, lastModifiedDateTime: _lm, ...fields } = patch as Record<string, unknown>;
      return { status: 200, body: put(entity, { ...fields, id }) };
    }
    return { status: 405, body: {} };
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));

  const fake = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    /** Creates or changes a customer (no change: no new stamp). `at` sets the stamp (ties in tests). */
    upsertCustomer: (c: Partial<ErpCustomer> & { name?: string }, at?: string) => put('customers', c, at) as ErpCustomer,
    upsertTask: (t: Partial<ErpTask>, at?: string) => put('tasks', t, at) as ErpTask,
    completeTask: (id: string) => put('tasks', { id, completed: true }) as ErpTask,
    removeCustomer: (id: string) => store.customers.delete(id),
    removeTask: (id: string) => store.tasks.delete(id),
    customer: (id: string) => store.customers.get(id) as ErpCustomer | undefined,
    task: (id: string) => store.tasks.get(id) as ErpTask | undefined,
    /** Everything, ordered by (lastModifiedDateTime, id): what a full sync must see. */
    listAll: () => ({ customers: sorted('customers') as ErpCustomer[], tasks: sorted('tasks') as ErpTask[] }),
    /** The CSV export as served (`;`, BOM); `snapshot` leaves out the updated-at column. */
    csv(entity: Entity = 'customers', o: { snapshot?: boolean; delimiter?: string; bom?: boolean } = {}): string {
      const columns = (entity === 'customers' ? CUSTOMER_COLUMNS : TASK_COLUMNS).filter((c) => !(o.snapshot && c === 'lastModifiedDateTime'));
      return toCsv(columns, [...store[entity].values()].sort((a, b) => compareKeys(a.id, b.id)), { delimiter: o.delimiter ?? ';', bom: o.bom ?? true });
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
  return fake;
}

export type ErpFake = Awaited<ReturnType<typeof createErpFake>>;
