import type { AlertsConfig } from '../../config/alerts.js';

/**
 * When an open incident's next reminder falls due (epoch ms): `firstAfterMinutes` after it opened,
 * then every `thenEveryHours` after the previous one.
 *
 * @example
 * nextReminderAt({ firstAfterMinutes: 60, thenEveryHours: 24 }, Date.parse('2026-01-01T00:00Z'), 0); // 01:00
 */
export function nextReminderAt(reminders: AlertsConfig['reminders'], from: number, sent: number): number {
  return from + (sent === 0 ? reminders.firstAfterMinutes * 60_000 : reminders.thenEveryHours * 3_600_000);
}
