import type { AlertsConfig, RuleName } from '../../config/alerts.js';
import type { RateBudgetStore } from '../../ghl/governor/types.js';
import type { Queryable } from '../db/types.js';
import type { RecipeAlerts } from '../recipes/types.js';

/**
 * What a rule found for one key this check: the incident's fields as they are now. The monitor
 * opens an incident for a key not open yet, updates the open one, and resolves the open ones of the
 * rule whose key is no longer found.
 */
export interface Finding {
  /** groups occurrences into one incident, e.g. `recipe-x|MAPPING|-` */
  key: string;
  recipeId?: string | null;
  connectionId?: string | null;
  locationId?: string | null;
  /** one line: what broke */
  cause: string;
  /** what to do about it */
  advice: string;
  count: number;
  firstRunId?: number | null;
  latestRunId?: number | null;
  details?: Record<string, unknown>;
  /** channels never told about this incident (channelFailing: the failing channel itself) */
  excludeChannels?: string[];
}

/** A recipe's newest version as the rules need it: its GHL connection and its alert overrides. */
export interface RecipeInfo {
  id: string;
  connection: string;
  locationId: string | null;
  alerts: RecipeAlerts | undefined;
}

/** A poll schedule this process runs: the only polls whose interval is known (see triggerStalled). */
export interface WatchedPoll {
  connectionId: string;
  triggerId: string;
  /** cron (UTC, 5 fields) */
  schedule: string;
}

/** What every rule gets for one check. */
export interface RuleContext {
  q: Queryable;
  alerts: AlertsConfig;
  /** the check's clock (epoch ms) */
  now: number;
  recipes: Map<string, RecipeInfo>;
  budget?: RateBudgetStore;
  polls: readonly WatchedPoll[];
  /** when this monitor started (epoch ms): a watched poll never seen is judged from here */
  startedAt: number;
  log: IncidentLog;
}

/** One rule: its name (a key of `alerts.rules`) and what it finds now. */
export interface Rule {
  name: RuleName;
  find(ctx: RuleContext): Promise<Finding[]>;
}

/** Where opens, resolves and auto-pauses are told (a pino logger fits). */
export interface IncidentLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}
