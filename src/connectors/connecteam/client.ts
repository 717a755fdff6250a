/**
 * A small Connecteam API client (fetch, `X-API-KEY`). Errors carry status, method and path, and
 * the API's own message (FastAPI 422 `detail[]` or `{error}`), never the key.
 */
import type { z } from 'zod';
import type { ConnecteamConnection } from './connection.js';
import { customFieldsPageSchema, meSchema, usersPageSchema, wireUserSchema, type CustomFieldSetting, type WireUser } from './schemas.js';

export class ConnecteamApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    message: string,
    /** seconds since epoch when a 429's minute window resets (x-ratelimit-minute-reset) */
    readonly resetAt?: number,
  ) {
    super(`Connecteam ${method} ${path} → ${status}: ${message}`);
    this.name = 'ConnecteamApiError';
  }

  /** 429 and 5xx may pass; 4xx will not. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

export type UserStatus = 'active' | 'archived' | 'all';

export interface ListUsersQuery {
  limit?: number;
  offset?: number;
  userStatus?: UserStatus;
  userIds?: number[];
  emailAddresses?: string[];
  phoneNumbers?: string[];
  fullNames?: string[];
  /** Unix seconds: users created after */
  createdAt?: number;
  /** Unix seconds: users with fields updated after */
  modifiedAt?: number;
  sort?: 'created_at';
  order?: 'asc' | 'desc';
}

export interface UsersPage {
  users: WireUser[];
  /** as the API answers it ("offset of the last successfully read resource") */
  pagingOffset: number | undefined;
}

/** Fields `PUT /users/v1/users` accepts for one user. */
export interface UserEdit {
  userId: number;
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
  email?: string;
  userType?: 'user' | 'manager' | 'owner';
  isArchived?: boolean;
  customFields?: Array<{ customFieldId: number; value: unknown }>;
}

export interface UserNote {
  id: number;
  title?: string;
  text: string;
  createdAt?: number;
}

type Query = Record<string, string | number | boolean | Array<string | number> | undefined>;

function messageOf(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { detail?: unknown; error?: unknown };
    if (Array.isArray(b.detail)) {
      return b.detail
        .map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).join('.')}: ${d.msg ?? 'invalid'}`)
        .join('; ');
    }
    if (typeof b.detail === 'string') return b.detail;
    if (typeof b.error === 'string') return b.error;
  }
  return 'request failed';
}

/**
 * @example
 * const api = createConnecteamClient(conn);
 * const { users } = await api.listUsers({ modifiedAt: 1731595900, limit: 100, userStatus: 'all' });
 * await api.addUserNote(9100001, { text: 'Synced from GHL' });
 */
export function createConnecteamClient(conn: ConnecteamConnection, options: { signal?: AbortSignal } = {}) {
  async function request<S extends z.ZodType>(method: string, path: string, schema: S | null, init: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<z.output<S>> {
    const url = new URL(conn.baseUrl + path);
    for (const [k, v] of Object.entries(init.query ?? {})) {
      if (v === undefined) continue;
      // FastAPI list parameters are repeated keys (`userIds=1&userIds=2`)
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
      else url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = { 'x-api-key': conn.apiKey, accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const signal = init.signal ?? options.signal;
    const res = await fetch(url, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const reset = Number(res.headers.get('x-ratelimit-minute-reset'));
      throw new ConnecteamApiError(res.status, method, path, messageOf(body), Number.isFinite(reset) && reset > 0 ? reset : undefined);
    }
    if (!schema) return body as z.output<S>;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ConnecteamApiError(res.status, method, path, `unexpected response: ${issue.path.join('.') || '(body)'}: ${issue.message}`);
    }
    return parsed.data as z.output<S>;
  }

  return {
    /** `GET /me`: the company the key belongs to (a connection test). */
    async me(): Promise<{ companyName?: string; companyId?: string }> {
      const r = await request('GET', '/me', meSchema);
      return { companyName: r.data.companyName, companyId: r.data.companyId === undefined ? undefined : String(r.data.companyId) };
    },

    /** One page of `GET /users/v1/users`. */
    async listUsers(query: ListUsersQuery = {}, signal?: AbortSignal): Promise<UsersPage> {
      const r = await request('GET', '/users/v1/users', usersPageSchema, { query: { ...query }, signal });
      return { users: r.data.users, pagingOffset: r.paging?.offset };
    },

    /** Every user matching the query, page by page (offset += limit until a short page). */
    async *allUsers(query: Omit<ListUsersQuery, 'offset'> = {}, signal?: AbortSignal): AsyncGenerator<WireUser> {
      const limit = query.limit ?? conn.pageSize;
      for (let offset = 0; ; offset += limit) {
        const { users } = await this.listUsers({ sort: 'created_at', order: 'asc', ...query, limit, offset }, signal);
        yield* users;
        if (users.length < limit) return;
      }
    },

    /** One user by id (archived ones too); null when there is none. */
    async getUser(userId: number): Promise<WireUser | null> {
      const { users } = await this.listUsers({ userIds: [userId], userStatus: 'all', limit: 1 });
      return users[0] ?? null;
    },

    /** `PUT /users/v1/users` with a list of edits (max 25). */
    async updateUsers(edits: UserEdit[]): Promise<WireUser[]> {
      const r = await request('PUT', '/users/v1/users', null, { body: edits });
      const users = (r as { data?: { users?: unknown[] } } | undefined)?.data?.users ?? [];
      return users.map((u) => wireUserSchema.parse(u));
    },

    /** `DELETE /users/v1/users?deletionType=archive` (or `delete`: permanent). */
    async archiveUsers(userIds: number[], deletionType: 'archive' | 'delete' = 'archive'): Promise<boolean> {
      const r = await request('DELETE', '/users/v1/users', null, { query: { deletionType }, body: userIds });
      return Boolean((r as { data?: { success?: boolean } } | undefined)?.data?.success);
    },

    /** `POST /users/v1/users/{userId}/notes` (text ≤ 1000 characters). */
    async addUserNote(userId: number, note: { text: string; title?: string }): Promise<UserNote> {
      const r = await request('POST', `/users/v1/users/${userId}/notes`, null, { body: note });
      return (r as { data: UserNote }).data;
    },

    /** `GET /users/v1/custom-fields`, all pages. */
    async listCustomFields(query: { limit?: number } = {}): Promise<CustomFieldSetting[]> {
      const limit = query.limit ?? 100;
      const all: CustomFieldSetting[] = [];
      for (let offset = 0; ; offset += limit) {
        const r = await request('GET', '/users/v1/custom-fields', customFieldsPageSchema, { query: { limit, offset } });
        all.push(...r.data.customFields);
        if (r.data.customFields.length < limit) return all;
      }
    },
  };
}

export type ConnecteamClient = ReturnType<typeof createConnecteamClient>;
