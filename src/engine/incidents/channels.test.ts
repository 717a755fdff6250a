import { describe, expect, it } from 'vitest';
import { alertsSchema } from '../../config/alerts.js';
import { incidentChannels } from './channels.js';
import { nextReminderAt } from './reminders.js';

const alerts = alertsSchema.parse({
  channels: { mail: { type: 'email', to: ['ops@example.com'], from: 'bridge@example.com', smtp: { host: 'smtp.example.com' } }, chat: { type: 'slack', urlEnv: 'SLACK_URL' } },
  default: ['mail'],
  rules: { reauth: { channels: ['chat', 'mail'] } },
});

describe('incidentChannels', () => {
  it('takes the recipe override, then the rule, then the default', () => {
    expect(incidentChannels(alerts, 'deadLetter')).toEqual(['mail']);
    expect(incidentChannels(alerts, 'reauth')).toEqual(['chat', 'mail']);
    expect(incidentChannels(alerts, 'deadLetter', { channels: ['chat'] })).toEqual(['chat']);
  });
  it('drops unknown and excluded channels', () => {
    expect(incidentChannels(alerts, 'deadLetter', { channels: ['chat', 'nope'] })).toEqual(['chat']);
    expect(incidentChannels(alerts, 'reauth', undefined, ['chat'])).toEqual(['mail']);
  });
});

describe('nextReminderAt', () => {
  it('waits firstAfterMinutes for the first, thenEveryHours for the others', () => {
    expect(nextReminderAt({ firstAfterMinutes: 60, thenEveryHours: 24 }, 0, 0)).toBe(3_600_000);
    expect(nextReminderAt({ firstAfterMinutes: 60, thenEveryHours: 24 }, 0, 1)).toBe(86_400_000);
  });
});
