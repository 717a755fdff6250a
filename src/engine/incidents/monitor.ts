/**
 * The incident monitor: every `alerts.checkSeconds` it evaluates each enabled rule from the
 * database (so what any process did is seen), opens, updates and resolves incidents, and queues
 * their notification rows (opened, reminders, resolved) — one per incident transition and channel,
 * never one per failed run. On a PostgreSQL server one process at a time checks (a
 * `pg_try_advisory_lock`; the others skip that turn); the embedded database is one process.
 */
import type { AlertsConfig } from '../../config/alerts.js';
import type { RateBudgetStore } from '../../ghl/governor/types.js';
import type { Database, Queryable } from '../db/types.js';
import { incidentChannels } from './channels.js';
import { recipeInfos } from './recipes.js';
import { nextReminderAt } from './reminders.js';
import { RULES } from './rules/index.js';
import { channelsOf, dueReminders, holdResolvedNotice, isMuted, takeDeferredResolves, markReminded, openIncident, openIncidentsOf, queueNotifications, resolveIncident, touchIncident, type Incident } from './store.js';
import type { IncidentLog, Rule, RuleContext, WatchedPoll } from './types.js';

/** The advisory lock of the monitor (hashed by the server, like the poll locks). */
const MONITOR_LOCK = 'ghl-bridge:incident-monitor';

export interface IncidentMonitorOptions {
  db: Database;
  alerts: AlertsConfig;
  /** the GHL rate budget store (rateBudget rule); without it that rule finds nothing */
  budget?: RateBudgetStore;
  log?: IncidentLog;
  /** the poll schedules this process runs (triggerStalled: the only polls whose interval is known) */
  polls?: readonly WatchedPoll[];
  now?: () => number;
}

export interface IncidentMonitor {
  /** One check now (what the timer does); resolves when it is done. Skipped (false) while another process holds the lock. */
  check(): Promise<boolean>;
  /** Stops the timer and waits for a check in flight. */
  stop(): Promise<void>;
}

const SILENT: IncidentLog = { warn: () => undefined, info: () => undefined, error: () => undefined };

/**
 * Starts the monitor in this process.
 *
 * @example
 * const monitor = startIncidentMonitor({ db: bridge.db, alerts: config.alerts, budget: bridge.ghl.budget, log: logger });
 * // …
 * await monitor.stop();
 */
export function startIncidentMonitor(options: IncidentMonitorOptions): IncidentMonitor {
  const now = options.now ?? Date.now;
  const log = options.log ?? SILENT;
  const startedAt = now();
  let inFlight: Promise<boolean> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const checkOnce = async (): Promise<boolean> => {
    const { db } = options;
    const run = (q: Queryable, transact: Transact) => evaluateRules({ q, transact, alerts: options.alerts, budget: options.budget, log, polls: options.polls ?? [], now: now(), startedAt });
    if (db.kind !== 'postgres') {
      await run(db, (fn) => db.transaction(fn));
      return true;
    }
    return db.withConnection(async (conn) => {
      const { rows } = await conn.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [MONITOR_LOCK]);
      if (!rows[0]?.ok) return false;
      try {
        await run(conn, sessionTransaction(conn));
      } finally {
        await conn.query('select pg_advisory_unlock(hashtext($1))', [MONITOR_LOCK]);
      }
      return true;
    });
  };
  const check = (): Promise<boolean> => {
    // one check at a time in a process: a slow one is not overtaken by the next tick
    inFlight ??= checkOnce().finally(() => { inFlight = null; });
    return inFlight;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void check()
        .catch((error: unknown) => log.error({ err: (error as Error).message }, 'the incident check failed'))
        .finally(schedule);
    }, options.alerts.checkSeconds * 1000);
    timer.unref?.();
  };
  schedule();
  return {
    check,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight?.catch(() => undefined);
    },
  };
}

/**
 * One check of every enabled rule, then the reminders due. A rule that fails is logged and the
 * others still run (its open incidents stay as they are: a failed check is not a resolve).
 *
 * @example
 * await evaluateRules({ q: db, alerts, log, polls: [], now: Date.now(), startedAt: Date.now() });
 */
export async function evaluateRules(input: Omit<RuleContext, 'recipes'> & { rules?: readonly Rule[]; transact?: Transact }): Promise<void> {
  const transact: Transact = input.transact ?? ((fn) => fn(input.q));
  const ctx: RuleContext = { ...input, recipes: await recipeInfos(input.q) };
  for (const rule of input.rules ?? RULES) {
    if (!ctx.alerts.rules[rule.name].enabled) continue;
    try {
      await applyRule(ctx, rule, transact);
    } catch (error) {
      ctx.log.error({ rule: rule.name, err: (error as Error).message }, `incident rule ${rule.name} failed`);
    }
  }
  await sendReminders(ctx, transact);
}

async function applyRule(ctx: RuleContext, rule: Rule, transact: Transact): Promise<void> {
  const findings = await rule.find(ctx);
  const open = new Map((await openIncidentsOf(ctx.q, rule.name)).map((i) => [i.key, i]));
  const found = new Set<string>();
  for (const finding of findings) {
    found.add(finding.key);
    const current = open.get(finding.key);
    if (current) {
      await touchIncident(ctx.q, current.id, finding, ctx.now);
      continue;
    }
    const recipe = finding.recipeId ? ctx.recipes.get(finding.recipeId)?.alerts : undefined;
    const channels = incidentChannels(ctx.alerts, rule.name, recipe, finding.excludeChannels);
    // the incident and its 'opened' rows together: a crash between them would lose the alert
    const incident = await transact(async (tx) => {
      const opened = await openIncident(tx, rule.name, finding, { channels, now: ctx.now, firstReminderAt: nextReminderAt(ctx.alerts.reminders, ctx.now, 0) });
      if (opened) await queueNotifications(tx, opened, 'opened', channels);
      return opened;
    });
    if (!incident) continue;
    ctx.log.warn(logFields(incident), `incident opened: ${incident.cause}`);
  }
  for (const incident of open.values()) {
    if (found.has(incident.key)) continue;
    const resolved = await transact(async (tx) => {
      const done = await resolveIncident(tx, incident.id, ctx.now);
      if (done && isMuted(done, ctx.now)) await holdResolvedNotice(tx, done.id);
      else if (done) await queueNotifications(tx, done, 'resolved', channelsOf(done));
      return done;
    });
    if (!resolved) continue;
    ctx.log.info(logFields(resolved), `incident resolved: ${resolved.cause}`);
  }
}

async function sendReminders(ctx: RuleContext, transact: Transact): Promise<void> {
  for (const incident of await dueReminders(ctx.q, ctx.now)) {
    // muted: nothing now; the reminder stays due and is sent once the mute has passed
    if (isMuted(incident, ctx.now)) continue;
    await transact(async (tx) => {
      await queueNotifications(tx, { ...incident, reminders: incident.reminders + 1 }, 'reminder', channelsOf(incident));
      await markReminded(tx, incident.id, nextReminderAt(ctx.alerts.reminders, ctx.now, incident.reminders + 1));
    });
  }
  // a resolve that happened while muted is told once the mute has passed
  await transact(async (tx) => {
    for (const incident of await takeDeferredResolves(tx, ctx.now)) await queueNotifications(tx, incident, 'resolved', channelsOf(incident));
  });
}

/** Runs `fn` in one transaction. */
type Transact = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

/** A transaction on a held session connection (`Database.transaction` would take another one). */
function sessionTransaction(conn: Queryable): Transact {
  return async (fn) => {
    await conn.query('begin');
    try {
      const result = await fn(conn);
      await conn.query('commit');
      return result;
    } catch (error) {
      await conn.query('rollback');
      throw error;
    }
  };
}

const logFields = (i: Incident) => ({ incident: i.id, rule: i.rule, recipe: i.recipeId, connection: i.connectionId, location: i.locationId, cause: i.cause, count: i.count });
