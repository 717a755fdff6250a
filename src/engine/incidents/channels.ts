import type { AlertsConfig, RuleName } from '../../config/alerts.js';
import type { RecipeAlerts } from '../recipes/types.js';

/**
 * The channels an incident is told on: the recipe's own `alerts.channels` when it names some,
 * else the rule's `channels`, else `alerts.default`; names not in `alerts.channels` are dropped
 * (a recipe file cannot be checked against the config when it is saved), and so are `exclude`d
 * ones (a failing channel is never told that it fails).
 *
 * @example
 * incidentChannels(alerts, 'deadLetter', { channels: ['ops-slack'] }); // ['ops-slack']
 */
export function incidentChannels(alerts: AlertsConfig, rule: RuleName, recipe?: RecipeAlerts, exclude: readonly string[] = []): string[] {
  const chosen = recipe?.channels?.length ? recipe.channels : (alerts.rules[rule].channels ?? alerts.default);
  return [...new Set(chosen)].filter((name) => name in alerts.channels && !exclude.includes(name));
}
