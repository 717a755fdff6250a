import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { engineLog } from './bridge.js';
import { createLogger } from './logger.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('logger', () => {
  it('redacts secrets at the top level and one level down, and keeps the rest', () => {
    const { lines, logger } = capture();
    logger.warn({ token: 'tok-1', authorization: 'Bearer tok-2', connection: { apiKey: 'key-3', secrets: { pit: 'pit-4' } }, runId: 7 }, 'x');
    const text = JSON.stringify(lines[0]);
    for (const secret of ['tok-1', 'tok-2', 'key-3', 'pit-4']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ runId: 7, token: '[redacted]', connection: { apiKey: '[redacted]', secrets: '[redacted]' } });
  });

  it("carries the engine's fields as keys of the line (pino object + message)", () => {
    const { lines, logger } = capture();
    const log = engineLog(logger);
    log('warn', 'run 3 dead-lettered', { runId: 3, recipeId: 'r', errorCode: 'VALIDATION' });
    log('info', 'plain');
    expect(lines[0]).toMatchObject({ level: 40, msg: 'run 3 dead-lettered', runId: 3, recipeId: 'r', errorCode: 'VALIDATION' });
    expect(lines[1]).toMatchObject({ level: 30, msg: 'plain' });
  });
});
