/**
 * The notifier: a loop that claims due notifications, sends each outside any transaction (with a
 * timeout), and settles it: `sent`, or pending again with backoff (30 s doubling to 1 h), or
 * `failed` after about a day of attempts. A channel that is down delays only its own messages.
 */
import type { Logger } from 'pino';
import type { AlertsConfig } from '../../config/alerts.js';
import type { Database } from '../../engine/db/types.js';
import { DeliveryError, redact, SEND_TIMEOUT_MS, type Channel } from './channel.js';
import { channelSecrets, createChannels } from './channels.js';
import { enqueueDueDigests } from './digest.js';
import { buildMessage, type NotificationMessage } from './message.js';
import { claimDue, insertClaimed, markAttemptFailed, markSent, type ClaimedNotification } from './outbox.js';

/** Attempts before a notification is given up: 30 s, 1, 2, 4, 8, 16, 32 min, then hourly, about 24 h in all. */
export const MAX_ATTEMPTS = 30;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 3_600_000;

/**
 * The wait after the `attempts`-th failure.
 *
 * @example
 * retryDelayMs(1); // 30_000
 * retryDelayMs(20); // 3_600_000
 */
export function retryDelayMs(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
}

export type NotifierLog = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface NotifierOptions {
  db: Pick<Database, 'query' | 'transaction'>;
  /** the channels; `digest` and `default` for the digest (off when absent) */
  alerts: Pick<AlertsConfig, 'channels'> & Partial<Pick<AlertsConfig, 'digest' | 'default'>>;
  /** the console's base (config `server.publicUrl`); a function when it is known only once the server listens */
  publicUrl: string | (() => string);
  log: NotifierLog;
  /** the clock of due times and backoff (tests move it) */
  now?: () => Date;
  /** where the channels' secrets are read (default process.env) */
  env?: NodeJS.ProcessEnv;
  /** sleep between looks at an empty outbox (default 2 s) */
  pollMs?: number;
  /** rows claimed at once (default 10) */
  batchSize?: number;
  /** told of each delivery that ended: sent, or failed for good (the `/metrics` counter) */
  onEnded?: (channel: string, status: 'sent' | 'failed') => void;
  /** one send's timeout (default 15 s) */
  timeoutMs?: number;
}

export type DeliveryResult = { id: number; status: 'sent' } | { id: number; status: 'pending' | 'failed'; error: string } | { id: number; status: 'lost-claim' };

export interface Notifier {
  /** Claims and sends what is due now; answers what happened to each row. */
  tick(): Promise<DeliveryResult[]>;
  /** Sends a test message to a configured channel at once (a row of kind `test`, failed at once if the send fails). */
  sendTest(channel: string): Promise<DeliveryResult>;
  /** Looks at the outbox now rather than at the next poll. */
  wake(): void;
  /** Ends the loop after the sends in flight (their rows settled). */
  stop(): Promise<void>;
}

/** Thrown by `sendTest` for a name that is not in alerts.channels. */
export class UnknownChannelError extends Error {
  constructor(name: string, known: string[]) {
    super(`no channel "${name}" in alerts.channels (${known.length > 0 ? `configured: ${known.join(', ')}` : 'none configured: add alerts.channels to the configuration'})`);
    this.name = 'UnknownChannelError';
  }
}

/**
 * Starts the loop (it looks at the outbox at once, then every `pollMs`).
 *
 * @example
 * const notifier = startNotifier({ db: bridge.db, alerts: config.alerts, publicUrl: config.server.publicUrl, log: logger });
 * // … on shutdown, before the database closes:
 * await notifier.stop();
 */
export function startNotifier(options: NotifierOptions): Notifier {
  const notifier = createNotifier(options);
  notifier.wake();
  return notifier;
}

/**
 * The notifier without its loop running (`wake()` starts it; `tick()` works a batch by hand).
 *
 * @example
 * const notifier = createNotifier({ db, alerts, publicUrl: 'http://127.0.0.1:8787', log });
 * await notifier.tick();
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { db, log } = options;
  const now = options.now ?? (() => new Date());
  const env = options.env ?? process.env;
  const pollMs = options.pollMs ?? 2000;
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  // a claim outlives any send, so only a dead sender's rows are ever taken again
  const leaseMs = Math.max(120_000, timeoutMs * 4);
  const channels = createChannels(options.alerts);
  const publicUrl = typeof options.publicUrl === 'function' ? options.publicUrl : () => options.publicUrl as string;
  const scrub = (text: string) => redact(text, channelSecrets(options.alerts, env));

  async function deliver(row: ClaimedNotification, o: { retry: boolean }): Promise<DeliveryResult> {
    const channel: Channel | undefined = channels.get(row.channel);
    let error = '';
    let retry = o.retry;
    if (!channel) {
      error = new UnknownChannelError(row.channel, [...channels.keys()]).message;
      retry = false;
    } else {
      let message: NotificationMessage | undefined;
      try {
        message = buildMessage(row, publicUrl());
      } catch (e) {
        // the payload will not change: retrying cannot help
        retry = false;
        error = (e as Error).message;
      }
      if (message) return send(row, channel, message, retry);
    }
    return settleFailure(row, error, retry);
  }

  async function send(row: ClaimedNotification, channel: Channel, message: NotificationMessage, retry: boolean): Promise<DeliveryResult> {
    try {
      await channel.send(message, { env, timeoutMs });
    } catch (e) {
      return settleFailure(row, scrub(e instanceof DeliveryError ? e.message : `${channel.type} channel "${row.channel}": ${(e as Error).message}`), retry);
    }
    // delivered: a database failure from here on must not turn into a second send before the lease ends
    if (!(await markSent(db, row, now()))) return lostClaim(row);
    log.info({ notification: row.id, kind: row.kind, channel: row.channel, incident: row.incidentId }, 'notification sent');
    options.onEnded?.(row.channel, 'sent');
    return { id: row.id, status: 'sent' };
  }

  async function settleFailure(row: ClaimedNotification, error: string, retry: boolean): Promise<DeliveryResult> {
    const attempts = row.attempts + 1;
    const retryAt = retry && attempts < MAX_ATTEMPTS ? new Date(now().getTime() + retryDelayMs(attempts)) : null;
    if (!(await markAttemptFailed(db, row, { error, retryAt }))) return lostClaim(row);
    const status = retryAt ? 'pending' : 'failed';
    if (status === 'failed') options.onEnded?.(row.channel, 'failed');
    log.warn({ notification: row.id, kind: row.kind, channel: row.channel, attempts, error, ...(retryAt ? { retryAt: retryAt.toISOString() } : {}) }, status === 'failed' ? 'notification failed for good' : 'notification not sent: will retry');
    return { id: row.id, status, error };
  }

  function lostClaim(row: ClaimedNotification): DeliveryResult {
    log.warn({ notification: row.id, channel: row.channel }, 'notification claim lapsed before it was settled (another sender has it)');
    return { id: row.id, status: 'lost-claim' };
  }

  async function tick(): Promise<DeliveryResult[]> {
    const { digest = 'off', default: defaults = [] } = options.alerts;
    if (digest !== 'off') await enqueueDueDigests(db, { alerts: { digest, default: defaults }, now: now() });
    const rows = await claimDue(db, { now: now(), limit: options.batchSize ?? 10, leaseMs });
    // side by side: one slow channel does not hold the others' messages
    return Promise.all(rows.map((row) => deliver(row, { retry: row.kind !== 'test' })));
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let again = false;

  const loop = () => {
    timer = undefined;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      let results: DeliveryResult[] = [];
      try {
        results = await tick();
      } catch (e) {
        if (!stopped) log.warn({ err: scrub((e as Error).message) }, 'notifier: could not read the outbox (will look again)');
      }
      running = undefined;
      if (stopped) return;
      // a full batch (or a wake meanwhile): look again at once
      const more = again || results.length >= (options.batchSize ?? 10);
      again = false;
      timer = setTimeout(loop, more ? 0 : pollMs);
      timer.unref();
    })();
  };

  return {
    tick,
    async sendTest(name) {
      if (!channels.has(name)) throw new UnknownChannelError(name, [...channels.keys()]);
      const row = await insertClaimed(db, { kind: 'test', channel: name, payload: { kind: 'test' }, now: now(), leaseMs });
      return deliver(row, { retry: false });
    },
    wake() {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
