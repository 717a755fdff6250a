/**
 * A tiny "your app" for tests and demos: it holds users, tasks and notes, and every change is sent
 * as a signed webhook (Standard Webhooks, or Stripe-style) to `webhookUrl`. It also receives the
 * messages `webhook.send` posts (verified, deduplicated by `webhook-id`) so tests can assert them.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeliverer, type Delivery } from '../fakes/deliver.js';
import { SCHEMES, verifyHmac } from '../webhooks/index.js';
import { standardWebhookHeaders, stripeHeaders } from './sign.js';

export interface AppFakeOptions {
  port?: number;
  /** Signing secret (`whsec_…` for Standard Webhooks); also checks messages received from `webhook.send`. */
  secret: string;
  /** Where the app sends its webhooks (settable later: `fake.webhookUrl = …`). */
  webhookUrl?: string;
  scheme?: 'standard-webhooks' | 'stripe';
  /** Delays between delivery retries in ms (default [50, 200]). */
  retryDelaysMs?: number[];
}

export interface AppUser {
  id: string;
  email: string;
  name: string;
  phone?: string;
  plan: string;
  company?: string;
  createdAt: string;
  updatedAt: string;
}

export interface AppTask {
  id: string;
  userId: string;
  title: string;
  body?: string;
  dueDate: string;
  completed: boolean;
  createdAt: string;
}

export interface AppNote {
  id: string;
  userId: string;
  body: string;
  createdAt: string;
}

export interface ReceivedMessage {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

export interface EmitOptions {
  /** Unix seconds to sign with (a stale one tests the replay window). */
  timestamp?: number;
  /** Sign with another secret (a bad signature). */
  secret?: string;
}

export interface SentMessage {
  id: string;
  type: string;
  body: string;
  delivery: Delivery;
}

/**
 * The JSON body the app sends for one change (before signing), shared with the catalog's samples:
 * Standard Webhooks `{ type, timestamp, data, …extra }`, Stripe-style `{ id, object, type, created, data: { object }, …extra }`.
 *
 * @example
 * appMessage('standard-webhooks', { id: 'msg_1', type: 'user.created', timestamp: 1772442900, data: { id: 'usr_1' } });
 */
export function appMessage(scheme: 'standard-webhooks' | 'stripe', m: { id: string; type: string; timestamp: number; data: Record<string, unknown>; extra?: Record<string, unknown> }): Record<string, unknown> {
  if (scheme === 'stripe') return { id: m.id, object: 'event', type: m.type, created: m.timestamp, data: { object: m.data }, ...m.extra };
  return { type: m.type, timestamp: new Date(m.timestamp * 1000).toISOString(), data: m.data, ...m.extra };
}

/**
 * @example
 * const app = await createAppFake({ secret: 'whsec_…', webhookUrl: `${hooksUrl}/hooks/app-main` });
 * const { user } = await app.signUp({ email: 'ada@example.com', name: 'Ada Lovelace', plan: 'free' });
 * await app.updateProfile(user.id, { plan: 'pro' });
 * await app.close();
 */
export async function createAppFake(options: AppFakeOptions) {
  const scheme = options.scheme ?? 'standard-webhooks';
  const deliverer = createDeliverer({ retryDelaysMs: options.retryDelaysMs });
  const users = new Map<string, AppUser>();
  const tasks = new Map<string, AppTask>();
  const notes = new Map<string, AppNote>();
  const sent: SentMessage[] = [];
  const received: ReceivedMessage[] = [];
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}_${++seq}`;
  const iso = () => new Date().toISOString();

  const server = createServer((req, res) => {
    void handle(req).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });

  async function handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://app');
    if (req.method === 'POST' && url.pathname === '/webhooks') {
      const v = verifyHmac(SCHEMES.standardWebhooks, options.secret, { rawBody, headers: req.headers });
      if (!v.ok) return { status: v.reason === 'stale' ? 400 : 401, body: { error: v.reason } };
      if (received.some((m) => m.id === v.id)) return { status: 200, body: { duplicate: true } };
      const parsed = JSON.parse(rawBody.toString('utf8')) as { type: string; data?: Record<string, unknown> };
      received.push({ id: v.id!, type: parsed.type, data: parsed.data ?? {} });
      return { status: 200, body: { ok: true } };
    }
    const user = /^\/users\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && user) {
      const u = users.get(decodeURIComponent(user[1]!));
      return u ? { status: 200, body: u } : { status: 404, body: { error: 'not found' } };
    }
    return { status: 404, body: { error: 'not found' } };
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Builds, signs and sends one message; resolves when it is delivered or the retries are spent. */
  function send(type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}, emit: EmitOptions & { id?: string } = {}): Promise<SentMessage> {
    if (!fake.webhookUrl) throw new Error('createAppFake: webhookUrl is not set');
    const timestamp = emit.timestamp ?? Math.floor(Date.now() / 1000);
    const secret = emit.secret ?? options.secret;
    let id: string;
    let body: string;
    let headers: Record<string, string>;
    if (scheme === 'stripe') {
      id = emit.id ?? `evt_${randomBytes(12).toString('hex')}`;
      body = JSON.stringify(appMessage('stripe', { id, type, timestamp, data, extra }));
      headers = stripeHeaders(secret, { id, timestamp, body });
    } else {
      id = emit.id ?? `msg_${randomBytes(12).toString('base64url')}`;
      body = JSON.stringify(appMessage('standard-webhooks', { id, type, timestamp, data, extra }));
      headers = standardWebhookHeaders(secret, { id, timestamp, body });
    }
    return deliverer.send(fake.webhookUrl, body, headers).then((delivery) => {
      const message = { id, type, body, delivery };
      sent.push(message);
      return message;
    });
  }

  const fake = {
    url,
    /** The app's endpoint for `webhook.send` (a connection's `config.sendUrl`). */
    inboxUrl: `${url}/webhooks`,
    webhookUrl: options.webhookUrl,
    users,
    tasks,
    notes,
    /** Every message the app sent, in order. */
    sent,
    /** Messages received from `webhook.send` (verified, one per webhook-id). */
    received,
    deliveries: deliverer.log,

    /** A new user: sends `user.created`. */
    async signUp(input: { email: string; name: string; phone?: string; plan?: string; company?: string }, emit: EmitOptions = {}) {
      const now = iso();
      const user: AppUser = { id: nextId('usr'), email: input.email, name: input.name, plan: input.plan ?? 'free', createdAt: now, updatedAt: now };
      if (input.phone) user.phone = input.phone;
      if (input.company) user.company = input.company;
      users.set(user.id, user);
      const message = await send('user.created', { ...user }, {}, emit);
      return { user, message };
    },

    /** Changes a user's profile: sends `user.updated` with the whole user, `changes` (names) and `previous` (old values). */
    async updateProfile(userId: string, patch: Partial<Pick<AppUser, 'email' | 'name' | 'phone' | 'plan' | 'company'>>, emit: EmitOptions = {}) {
      const user = users.get(userId);
      if (!user) throw new Error(`updateProfile: no user ${userId}`);
      const changes = Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== user[k as keyof AppUser]);
      const previous = Object.fromEntries(changes.map((k) => [k, user[k as keyof AppUser] ?? null]));
      Object.assign(user, patch, { updatedAt: iso() });
      const message = await send('user.updated', { ...user }, { changes, previous }, emit);
      return { user, message };
    },

    /** A task of a user: sends `task.created`. */
    async createTask(userId: string, input: { title: string; body?: string; dueDate: string }, emit: EmitOptions = {}) {
      const task: AppTask = { id: nextId('tsk'), userId, title: input.title, dueDate: input.dueDate, completed: false, createdAt: iso() };
      if (input.body) task.body = input.body;
      tasks.set(task.id, task);
      const message = await send('task.created', { ...task }, {}, emit);
      return { task, message };
    },

    /** A note on a user: sends `note.created`. */
    async createNote(userId: string, input: { body: string }, emit: EmitOptions = {}) {
      const note: AppNote = { id: nextId('nte'), userId, body: input.body, createdAt: iso() };
      notes.set(note.id, note);
      const message = await send('note.created', { ...note }, {}, emit);
      return { note, message };
    },

    /** Sends an earlier message again: same id and bytes, signed now (a sender's retry). */
    async redeliver(message: SentMessage, emit: EmitOptions = {}): Promise<SentMessage> {
      if (!fake.webhookUrl) throw new Error('createAppFake: webhookUrl is not set');
      const timestamp = emit.timestamp ?? Math.floor(Date.now() / 1000);
      const secret = emit.secret ?? options.secret;
      const input = { id: message.id, timestamp, body: message.body };
      const headers = scheme === 'stripe' ? stripeHeaders(secret, input) : standardWebhookHeaders(secret, input);
      const again = { ...message, delivery: await deliverer.send(fake.webhookUrl, message.body, headers) };
      sent.push(again);
      return again;
    },

    /** Any message, e.g. for a malformed body test. */
    emit: (type: string, data: Record<string, unknown>, emitOptions: EmitOptions & { id?: string } = {}) => send(type, data, {}, emitOptions),

    /** Waits for every delivery in flight. */
    idle: () => deliverer.idle(),
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };

  return fake;
}

export type AppFake = Awaited<ReturnType<typeof createAppFake>>;
