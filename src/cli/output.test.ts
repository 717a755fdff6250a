import { describe, expect, it } from 'vitest';
import { colourEnabled, paint, table, when } from './output.js';
import { errorHint } from './runs.js';

describe('CLI output', () => {
  it('colours only on a TTY without NO_COLOR', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(paint('red', 'dead', true)).toBe('\u001b[31mdead\u001b[0m');
    expect(paint('red', 'dead', false)).toBe('dead');
  });

  it('pads columns by visible width, leaves the last unpadded, and cuts long cells', () => {
    // a coloured cell takes its visible width (the header is bold only on a TTY)
    const lines = table(['ID', 'STATUS', 'NOTE'], [['1', paint('green', 'ok', true), 'x'], ['22', 'dead', 'y'.repeat(12)]], 10).split('\n');
    expect(lines.slice(1)).toEqual([`1   ${paint('green', 'ok', true)}      x`, '22  dead    yyyyyyyyy…']);
    expect(when('2026-11-27T21:12:17.123Z')).toBe('2026-11-27 21:12:17');
  });

  it('names the connection to re-authorize when GHL refused a run with 401/403, and never for an app', () => {
    expect(errorHint({ error: { reason: 'Unauthorized', status: 401, code: 'AUTH', retryable: false } }, 'ghl-main')).toMatch(/^re-authorize connection ghl-main: HighLevel refused its credentials \(401\)/);
    expect(errorHint({ error: { reason: 'app said no', status: 401, code: 'APP', retryable: false } }, 'ghl-main')).toBe('app said no');
    expect(errorHint({ error: { reason: 'data.email:\n required', retryable: false } }, undefined)).toBe('data.email: required');
    expect(errorHint({ error: null }, 'x')).toBe('');
  });
});
