/**
 * Incidents (issue 12): rules that watch the database for failures people must not miss, one
 * incident per rule and cause (never one per failed run), and their notification rows for the
 * sender. See `startIncidentMonitor` and the README's "Incidents" section.
 */
export { startIncidentMonitor, evaluateRules, type IncidentMonitor, type IncidentMonitorOptions } from './monitor.js';
export { acknowledgeIncident, getIncident, incidentNotifications, listIncidents, muteIncident, type Incident, type IncidentNotification, type IncidentStatus, type NotificationKind } from './store.js';
export { incidentChannels } from './channels.js';
export { nextReminderAt } from './reminders.js';
export { RULES, RECONCILIATION_WINDOW_HOURS, pollIntervalMs } from './rules/index.js';
export type { Finding, IncidentLog, Rule, RuleContext, WatchedPoll } from './types.js';
