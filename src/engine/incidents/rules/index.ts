import type { Rule } from '../types.js';
import { autoPauseRule } from './auto-pause.js';
import { channelFailingRule } from './channel-failing.js';
import { deadLetterRule } from './dead-letter.js';
import { failureRateRule } from './failure-rate.js';
import { queueStalledRule } from './queue-stalled.js';
import { rateBudgetRule } from './rate-budget.js';
import { reauthRule } from './reauth.js';
import { reconciliationRule } from './reconciliation.js';
import { triggerStalledRule } from './trigger-stalled.js';
import { webhookRejectionsRule } from './webhook-rejections.js';

/** Every rule, in the order of RULE_NAMES (auto-pause before queueStalled: a paused recipe's runs are meant to wait). */
export const RULES: readonly Rule[] = [
  deadLetterRule, failureRateRule, reauthRule, rateBudgetRule, webhookRejectionsRule, triggerStalledRule, autoPauseRule, queueStalledRule, reconciliationRule, channelFailingRule,
];

export { deadLetterAdvice } from './dead-letter.js';
export { pollIntervalMs } from './trigger-stalled.js';
export { RECONCILIATION_WINDOW_HOURS } from './reconciliation.js';
