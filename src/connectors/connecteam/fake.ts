/**
 * A fake Connecteam for tests and demos: a real HTTP server on 127.0.0.1 with the users API
 * (`X-API-KEY`, limit/offset paging, filters, FastAPI-style 422s) and signed webhooks on every
 * change, sent like the real app: `user_updated` once PER CHANGED FIELD, each delivery with the
 * whole user and the same modifiedAt. Like the real app, timestamps are whole Unix seconds from the
 * clock (two edits in one second share a modifiedAt) and a webhook's eventTimestamp is when it is
 * sent, after the change (`webhookLagSeconds`), not the change's own stamp. Deliveries are retried
 * up to 3 times.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeliverer, type Delivery } from '../fakes/deliver.js';
import { DEFAULT_SIGNATURE_HEADER } from './connection.js';
import type { ConnecteamUserEventType } from './webhook.js';

export interface FakeCustomField {
  customFieldId: number;
  name: string;
  type: string;
  value: unknown;
}

export interface FakeUser {
  userId: number;
  firstName: string;
  lastName: string;
  phoneNumber: string;
  email: string | null;
  userType: 'user' | 'manager' | 'owner';
  isArchived: boolean;
  kioskCode: string;
  createdAt: number;
  modifiedAt: number;
  archivedAt: number | null;
  lastLogin: number;
  smartGroupsIds: number[];
  invitedToBeManager: boolean | null;
  profilePictureUrl: string | null;
  customFields: FakeCustomField[];
}

export interface FakeNote {
  id: number;
  userId: number;
  title?: string;
  text: string;
  createdBy: number;
  modifiedBy: number;
  createdAt: number;
  modifiedAt: number;
}

export interface NewFakeUser {
  firstName: string;
  lastName: string;
  phoneNumber: string;
  email?: string | null;
  userType?: FakeUser['userType'];
  customFields?: Array<{ customFieldId: number; value: unknown }>;
}

export type FakeUserPatch = Partial<Pick<FakeUser, 'firstName' | 'lastName' | 'phoneNumber' | 'email' | 'userType'>> & {
  customFields?: Array<{ customFieldId: number; value: unknown }>;
};

export interface ConnecteamFakeOptions {
  port?: number;
  apiKey: string;
  webhookSecret: string;
  /** where webhooks go (none sent until set; see `setWebhookUrl`) */
  webhookUrl?: string;
  /** how deliveries are signed; mirror the connection's `signature` config */
  signature?: { header?: string; encoding?: 'hex' | 'base64'; prefix?: string };
  companyId?: string;
  /** Unix seconds (default: the wall clock) */
  now?: () => number;
  /** delays between the 4 attempts of a delivery, ms (the real app waits 60 s) */
  retryDelaysMs?: number[];
  /** seconds between a change and its webhook's eventTimestamp (default 1: sent after the change) */
  webhookLagSeconds?: number;
}

/** The fake's custom field settings (id, name, type). */
export const DEFAULT_FIELDS = [
  { id: 6200001, name: 'Employment Start Date', type: 'date' },
  { id: 6200002, name: 'Direct manager', type: 'directManager' },
  { id: 7600001, name: 'Employee ID', type: 'str' },
  { id: 7600002, name: 'Department', type: 'str' },
];

interface ValidationIssue {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(String(status));
  }
}

const unprocessable = (detail: ValidationIssue[]) => new HttpError(422, { detail });

/**
 * The users-feature envelope the fake sends (before signing), shared with the catalog's samples.
 *
 * @example
 * connecteamEnvelope('fake-company-1', 'user_created', [user], 1772442900, randomUUID());
 */
export function connecteamEnvelope(companyId: string, eventType: string, data: unknown[], timestamp: number, requestId: string) {
  return { requestId, company: companyId, activityType: 'User', eventTimestamp: timestamp, evnetTimestamp: timestamp, eventType, data };
}

/**
 * @example
 * const fake = await createConnecteamFake({ apiKey: 'key', webhookSecret: 'secret', webhookUrl: `${hooks.url}/hooks/connecteam-main` });
 * const user = await fake.createUser({ firstName: 'Sam', lastName: 'Rivera', phoneNumber: '+15550100300', email: 'sam@example.com' });
 * await fake.updateUser(user.userId, { firstName: 'Samuel', lastName: 'Rivers', email: 'samuel@example.com' }); // 3 deliveries
 * fake.deliveries(); // every webhook sent, with its attempts
 * await fake.close();
 */
export async function createConnecteamFake(options: ConnecteamFakeOptions) {
  const companyId = options.companyId ?? 'fake-company-1';
  const clock = options.now ?? (() => Math.floor(Date.now() / 1000));
  const users = new Map<number, FakeUser>();
  const notes: FakeNote[] = [];
  const fields = DEFAULT_FIELDS.map((f) => ({ ...f, categoryId: 1, isRequired: false, isVisibleToUsers: true, isEditableForUsers: false }));
  let webhookUrl = options.webhookUrl;
  let nextUserId = 9100001;
  let nextNoteId = 1;
  const requests: Array<{ method: string; path: string; status: number }> = [];
  const deliverer = createDeliverer({ retryDelaysMs: options.retryDelaysMs ?? [50, 100, 200] });
  const signature = { header: (options.signature?.header ?? DEFAULT_SIGNATURE_HEADER).toLowerCase(), encoding: options.signature?.encoding ?? 'hex', prefix: options.signature?.prefix ?? '' };

  const lag = options.webhookLagSeconds ?? 1;
  /** modifiedAt as the real app keeps it: the clock's second, so two changes in one second share it. */
  const stamp = (): number => clock();

  function sign(body: string, secret: string): string {
    return signature.prefix + createHmac('sha256', secret).update(body).digest(signature.encoding);
  }

  const envelope = (eventType: string, data: unknown[], timestamp: number) => connecteamEnvelope(companyId, eventType, data, timestamp, randomUUID());

  /** Sends one signed delivery (resolves after it was delivered or its retries were spent). */
  async function emit(eventType: ConnecteamUserEventType | string, data: unknown[], o: { secret?: string; timestamp?: number } = {}): Promise<Delivery | null> {
    if (!webhookUrl) return null;
    const body = JSON.stringify(envelope(eventType, data, o.timestamp ?? clock() + lag));
    return deliverer.send(webhookUrl, body, { [signature.header]: sign(body, o.secret ?? options.webhookSecret) });
  }

  const copy = (u: FakeUser): FakeUser => structuredClone(u);

  function resolveCustomFields(input: Array<{ customFieldId: number; value: unknown }>, at: Array<string | number>): FakeCustomField[] {
    return input.map((f, i) => {
      const setting = fields.find((s) => s.id === f.customFieldId);
      if (!setting) throw new HttpError(400, { error: `INVALID_CUSTOM_FIELD: custom field ${f.customFieldId} does not exist`, path: at.join('.') + `[${i}]`, request_id: randomUUID() });
      return { customFieldId: setting.id, name: setting.name, type: setting.type, value: f.value };
    });
  }

  function mustGet(userId: number): FakeUser {
    const u = users.get(userId);
    if (!u) throw new HttpError(404, { error: `USER_NOT_FOUND: user ${userId} not found`, path: '/users/v1/users', request_id: randomUUID() });
    return u;
  }

  function insertUser(input: NewFakeUser): FakeUser {
    const t = clock();
    const user: FakeUser = {
      userId: nextUserId++,
      firstName: input.firstName,
      lastName: input.lastName,
      phoneNumber: input.phoneNumber,
      email: input.email ?? null,
      userType: input.userType ?? 'user',
      isArchived: false,
      kioskCode: String(1000 + (nextUserId % 9000)),
      createdAt: t,
      modifiedAt: t,
      archivedAt: null,
      lastLogin: 0,
      smartGroupsIds: [],
      invitedToBeManager: null,
      profilePictureUrl: null,
      customFields: resolveCustomFields(input.customFields ?? [], ['customFields']),
    };
    users.set(user.userId, user);
    return user;
  }

  /** Applies a patch; answers the changed field names (custom fields by name), one per delivery. */
  function patchUser(user: FakeUser, patch: FakeUserPatch): string[] {
    const changed: string[] = [];
    for (const key of ['firstName', 'lastName', 'phoneNumber', 'email', 'userType'] as const) {
      if (patch[key] !== undefined && patch[key] !== user[key]) {
        (user as unknown as Record<string, unknown>)[key] = patch[key];
        changed.push(key);
      }
    }
    for (const f of resolveCustomFields(patch.customFields ?? [], ['customFields'])) {
      const existing = user.customFields.find((c) => c.customFieldId === f.customFieldId);
      if (existing && JSON.stringify(existing.value) === JSON.stringify(f.value)) continue;
      if (existing) existing.value = f.value;
      else user.customFields.push(f);
      changed.push(`customFields.${f.name}`);
    }
    if (changed.length > 0) user.modifiedAt = stamp();
    return changed;
  }

  // --- mutations shared by the helpers and the API (both emit webhooks) ---

  async function createUser(input: NewFakeUser): Promise<FakeUser> {
    const user = insertUser(input);
    await emit('user_created', [copy(user)]);
    return copy(user);
  }

  async function updateUser(userId: number, patch: FakeUserPatch): Promise<{ user: FakeUser; changed: string[] }> {
    const user = mustGet(userId);
    const changed = patchUser(user, patch);
    // the real app: "In case of updating multiple fields, it will trigger a webhook for every updated field"
    const t = clock() + lag;
    await Promise.all(changed.map(() => emit('user_updated', [copy(user)], { timestamp: t })));
    return { user: copy(user), changed };
  }

  async function archiveUser(userId: number): Promise<FakeUser> {
    const user = mustGet(userId);
    if (!user.isArchived) {
      user.isArchived = true;
      user.modifiedAt = stamp();
      user.archivedAt = user.modifiedAt;
      // documented: archive/delete webhooks carry only the user id; eventTimestamp is the send time
      await emit('user_archived', [{ userId }]);
    }
    return copy(user);
  }

  async function restoreUser(userId: number): Promise<FakeUser> {
    const user = mustGet(userId);
    if (user.isArchived) {
      user.isArchived = false;
      user.archivedAt = null;
      user.modifiedAt = stamp();
      await emit('user_restored', [{ userId }]);
    }
    return copy(user);
  }

  async function deleteUser(userId: number): Promise<void> {
    mustGet(userId);
    users.delete(userId);
    await emit('user_deleted', [{ userId }]);
  }

  // --- HTTP ---

  function intParam(url: URL, name: string, issues: ValidationIssue[], o: { min?: number; max?: number; fallback?: number } = {}): number | undefined {
    const raw = url.searchParams.get(name);
    if (raw === null) return o.fallback;
    if (!/^-?\d+$/.test(raw)) {
      issues.push({ loc: ['query', name], msg: 'value is not a valid integer', type: 'type_error.integer' });
      return undefined;
    }
    const n = Number(raw);
    if (o.min !== undefined && n < o.min) issues.push({ loc: ['query', name], msg: `ensure this value is greater than or equal to ${o.min}`, type: 'value_error.number.not_ge' });
    else if (o.max !== undefined && n > o.max) issues.push({ loc: ['query', name], msg: `ensure this value is less than or equal to ${o.max}`, type: 'value_error.number.not_le' });
    return n;
  }

  function enumParam<T extends string>(url: URL, name: string, allowed: readonly T[], issues: ValidationIssue[], fallback?: T): T | undefined {
    const raw = url.searchParams.get(name);
    if (raw === null) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      issues.push({ loc: ['query', name], msg: `value is not a valid enumeration member; permitted: ${allowed.map((a) => `'${a}'`).join(', ')}`, type: 'type_error.enum' });
      return undefined;
    }
    return raw as T;
  }

  /** List parameters arrive as repeated keys (FastAPI), also accepted as `name[]`. */
  const listParam = (url: URL, name: string): string[] => [...url.searchParams.getAll(name), ...url.searchParams.getAll(`${name}[]`)];

  function listUsers(url: URL) {
    const issues: ValidationIssue[] = [];
    const limit = intParam(url, 'limit', issues, { min: 1, max: 500, fallback: 10 })!;
    const offset = intParam(url, 'offset', issues, { min: 0, fallback: 0 })!;
    const sort = enumParam(url, 'sort', ['created_at'] as const, issues);
    const order = enumParam(url, 'order', ['asc', 'desc'] as const, issues, 'asc');
    const status = enumParam(url, 'userStatus', ['active', 'archived', 'all'] as const, issues, 'active');
    const createdAfter = intParam(url, 'createdAt', issues, { min: 1 });
    const modifiedAfter = intParam(url, 'modifiedAt', issues, { min: 1 });
    const ids = listParam(url, 'userIds');
    ids.forEach((id, i) => {
      if (!/^\d+$/.test(id) || Number(id) < 1) issues.push({ loc: ['query', 'userIds', i], msg: 'value is not a valid integer', type: 'type_error.integer' });
    });
    if (issues.length > 0) throw unprocessable(issues);
    const emails = listParam(url, 'emailAddresses').map((e) => e.toLowerCase());
    const phones = listParam(url, 'phoneNumbers');
    const names = listParam(url, 'fullNames').map((n) => n.toLowerCase());
    let list = [...users.values()].filter(
      (u) =>
        (status === 'all' || (status === 'archived') === u.isArchived) &&
        (ids.length === 0 || ids.includes(String(u.userId))) &&
        (emails.length === 0 || (u.email !== null && emails.includes(u.email.toLowerCase()))) &&
        (phones.length === 0 || phones.includes(u.phoneNumber)) &&
        (names.length === 0 || names.includes(`${u.firstName} ${u.lastName}`.toLowerCase())) &&
        (createdAfter === undefined || u.createdAt > createdAfter) &&
        (modifiedAfter === undefined || u.modifiedAt > modifiedAfter),
    );
    // without a sort key: id order; `created_at` ties broken by id so paging is stable
    list.sort((a, b) => (sort ? a.createdAt - b.createdAt : 0) || a.userId - b.userId);
    if (sort && order === 'desc') list = list.reverse();
    const page = list.slice(offset, offset + limit);
    return { requestId: randomUUID(), data: { users: page.map(copy) }, paging: { offset: offset + page.length } };
  }

  function bodyArray(body: unknown, maxItems?: number): unknown[] {
    if (!Array.isArray(body)) throw unprocessable([{ loc: ['body'], msg: 'value is not a valid list', type: 'type_error.list' }]);
    if (maxItems !== undefined && body.length > maxItems) throw unprocessable([{ loc: ['body'], msg: `ensure this value has at most ${maxItems} items`, type: 'value_error.list.max_items' }]);
    return body;
  }

  function requireString(item: Record<string, unknown>, key: string, at: Array<string | number>, issues: ValidationIssue[], required: boolean): void {
    const v = item[key];
    if (v === undefined) {
      if (required) issues.push({ loc: [...at, key], msg: 'field required', type: 'value_error.missing' });
    } else if (typeof v !== 'string') issues.push({ loc: [...at, key], msg: 'str type expected', type: 'type_error.str' });
  }

  async function route(req: IncomingMessage, url: URL, body: unknown): Promise<unknown> {
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/me') return { requestId: randomUUID(), data: { companyName: 'Fake Co', companyId } };
    if (method === 'GET' && path === '/users/v1/users') return listUsers(url);
    if (method === 'POST' && path === '/users/v1/users') {
      const items = bodyArray(body, 25);
      const issues: ValidationIssue[] = [];
      items.forEach((raw, i) => {
        const item = (raw ?? {}) as Record<string, unknown>;
        for (const k of ['firstName', 'lastName', 'phoneNumber', 'userType']) requireString(item, k, ['body', i], issues, true);
        requireString(item, 'email', ['body', i], issues, false);
      });
      if (issues.length > 0) throw unprocessable(issues);
      const results: FakeUser[] = [];
      for (const raw of items) results.push(await createUser(raw as NewFakeUser));
      return { requestId: randomUUID(), data: { results } };
    }
    if (method === 'PUT' && path === '/users/v1/users') {
      const items = bodyArray(body, 25);
      const issues: ValidationIssue[] = [];
      items.forEach((raw, i) => {
        const item = (raw ?? {}) as Record<string, unknown>;
        if (typeof item.userId !== 'number' || !Number.isInteger(item.userId) || item.userId < 1) issues.push({ loc: ['body', i, 'userId'], msg: 'field required', type: 'value_error.missing' });
        for (const k of ['firstName', 'lastName', 'phoneNumber', 'email']) requireString(item, k, ['body', i], issues, false);
      });
      if (issues.length > 0) throw unprocessable(issues);
      for (const raw of items) mustGet((raw as { userId: number }).userId);
      const edited: FakeUser[] = [];
      for (const raw of items) {
        const { userId, isArchived, ...patch } = raw as FakeUserPatch & { userId: number; isArchived?: boolean };
        edited.push((await updateUser(userId, patch)).user);
        if (isArchived === true) edited[edited.length - 1] = await archiveUser(userId);
        if (isArchived === false) edited[edited.length - 1] = await restoreUser(userId);
      }
      return { requestId: randomUUID(), data: { count: edited.length, users: edited } };
    }
    const one = /^\/users\/v1\/users\/(\d+)$/.exec(path);
    if (method === 'DELETE' && (path === '/users/v1/users' || one)) {
      const deletionType = enumParam(url, 'deletionType', ['archive', 'delete'] as const, [], 'archive');
      const ids = one ? [Number(one[1])] : bodyArray(body);
      const issues = ids.flatMap((id, i): ValidationIssue[] => (typeof id === 'number' && Number.isInteger(id) && id >= 1 ? [] : [{ loc: ['body', i], msg: 'value is not a valid integer', type: 'type_error.integer' }]));
      if (url.searchParams.has('deletionType') && !deletionType) issues.push({ loc: ['query', 'deletionType'], msg: "value is not a valid enumeration member; permitted: 'archive', 'delete'", type: 'type_error.enum' });
      if (issues.length > 0) throw unprocessable(issues);
      for (const id of ids as number[]) mustGet(id);
      for (const id of ids as number[]) {
        if (deletionType === 'delete') await deleteUser(id);
        else await archiveUser(id);
      }
      return { requestId: randomUUID(), data: { success: true } };
    }
    const notePath = /^\/users\/v1\/users\/(\d+)\/notes$/.exec(path);
    if (method === 'POST' && notePath) {
      const userId = Number(notePath[1]);
      const item = (body ?? {}) as Record<string, unknown>;
      const issues: ValidationIssue[] = [];
      if (typeof item.text !== 'string') issues.push({ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' });
      else if (item.text.length < 1 || item.text.length > 1000) issues.push({ loc: ['body', 'text'], msg: 'ensure this value has between 1 and 1000 characters', type: 'value_error.any_str.max_length' });
      requireString(item, 'title', ['body'], issues, false);
      if (issues.length > 0) throw unprocessable(issues);
      mustGet(userId);
      const t = clock();
      const note: FakeNote = { id: nextNoteId++, userId, ...(typeof item.title === 'string' ? { title: item.title } : {}), text: item.text as string, createdBy: 1, modifiedBy: 1, createdAt: t, modifiedAt: t };
      notes.push(note);
      const { userId: _u, ...out } = note;
      return { requestId: randomUUID(), data: out };
    }
    if (method === 'GET' && path === '/users/v1/custom-fields') {
      const issues: ValidationIssue[] = [];
      const limit = intParam(url, 'limit', issues, { min: 1, max: 500, fallback: 10 })!;
      const offset = intParam(url, 'offset', issues, { min: 0, fallback: 0 })!;
      if (issues.length > 0) throw unprocessable(issues);
      const page = fields.slice(offset, offset + limit);
      return { requestId: randomUUID(), data: { customFields: page }, paging: { offset: offset + page.length } };
    }
    throw new HttpError(404, { detail: 'Not Found' });
  }

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const record = (status: number) => requests.push({ method: req.method ?? 'GET', path: url.pathname, status });
      void (async () => {
        try {
          if (req.headers['x-api-key'] !== options.apiKey) {
            record(401);
            return send(res, 401, { detail: 'Invalid or missing API key' });
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          if (raw) {
            try {
              body = JSON.parse(raw);
            } catch {
              record(422);
              return send(res, 422, { detail: [{ loc: ['body'], msg: 'Expecting value: invalid JSON', type: 'value_error.jsondecode' }] });
            }
          }
          const out = await route(req, url, body);
          record(200);
          send(res, 200, out);
        } catch (e) {
          const status = e instanceof HttpError ? e.status : 500;
          record(status);
          send(res, status, e instanceof HttpError ? e.body : { error: 'INTERNAL: fake failure', path: url.pathname, request_id: randomUUID() });
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    /** Where webhooks go from now on (e.g. once the bridge listens). */
    setWebhookUrl(next: string | undefined): void {
      webhookUrl = next;
    },
    createUser,
    /** Changes fields; sends one `user_updated` per changed field, all with the same modifiedAt. */
    updateUser,
    archiveUser,
    restoreUser,
    deleteUser,
    /** Sends a raw users-feature delivery (e.g. `secret: 'wrong'` for a bad signature). */
    emit,
    /** Every webhook sent, with its attempts. */
    deliveries(): Delivery[] {
      return deliverer.log;
    },
    /** Waits until every delivery is delivered or has spent its retries. */
    idle: () => deliverer.idle(),
    state() {
      return { users: [...users.values()].map(copy), notes: notes.map((n) => ({ ...n })), customFields: fields.map((f) => ({ ...f })), requests: [...requests] };
    },
    async close(): Promise<void> {
      await deliverer.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type ConnecteamFake = Awaited<ReturnType<typeof createConnecteamFake>>;
