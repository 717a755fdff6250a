import { nextUtcMidnight } from '../../../ghl/core/errors.js';
import type { Finding, Rule } from '../types.js';

/**
 * A location (a key of the GHL rate budget store) that used `dailyUsedRatio` of its daily request
 * budget, or spent it: writes wait until the reset (next UTC midnight, when HighLevel's daily count
 * starts again). Read through the store's own `snapshot`, so the numbers are the governor's.
 */
export const rateBudgetRule: Rule = {
  name: 'rateBudget',
  async find({ budget, alerts, now }) {
    if (!budget) return [];
    const ratio = alerts.rules.rateBudget.dailyUsedRatio;
    const found: Finding[] = [];
    for (const key of await budget.keys()) {
      const s = await budget.snapshot(key, now);
      const daily = s.limits.daily;
      if (!(daily > 0) || s.dailyUsed / daily < ratio) continue;
      const spent = s.dailyUsed >= daily;
      const resetAt = new Date(nextUtcMidnight(now)).toISOString();
      const share = `${Math.round((s.dailyUsed / daily) * 100)}% (${s.dailyUsed.toLocaleString('en-US')} of ${daily.toLocaleString('en-US')})`;
      found.push({
        key,
        locationId: key,
        cause: spent ? `location ${key} has spent its daily HighLevel request budget; it resets at ${resetAt}` : `location ${key} has used ${share} of its daily HighLevel request budget (resets at ${resetAt})`,
        advice: spent
          ? 'writes to this location wait until the reset and then go on by themselves; if it happens often, lower what the recipes send (filters, fewer actions) or spread full syncs over days'
          : 'at this pace the budget runs out before the reset: pause large full syncs or backfills to this location, or let them go on knowing writes will wait',
        count: s.dailyUsed,
        details: { day: s.day, dailyUsed: s.dailyUsed, daily, resetAt, spent },
      });
    }
    return found;
  },
};
