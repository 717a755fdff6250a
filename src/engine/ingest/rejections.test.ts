import { describe, expect, it } from 'vitest';
import { keptHeaders } from './rejections.js';

describe('keptHeaders', () => {
  it('keeps the allow-listed headers, redacts secrets, cuts long values and counts the rest', () => {
    const kept = keptHeaders({
      'User-Agent': 'Recruitee-Webhooks',
      'content-type': 'application/json',
      'x-recruitee-signature': 'deadbeef',
      'webhook-timestamp': '1700000000',
      'x-forwarded-for': 'x'.repeat(1000),
      'x-junk-1': 'j'.repeat(14_000),
      cookie: 'session=1',
    });
    expect(kept['user-agent']).toBe('Recruitee-Webhooks');
    expect(kept['x-recruitee-signature']).toBe('[redacted]');
    expect(kept['webhook-timestamp']).toBe('1700000000');
    expect(kept['x-forwarded-for']).toMatch(/^x{256}… \(1000 characters\)$/);
    expect(kept['x-junk-1']).toBeUndefined();
    expect(kept.cookie).toBeUndefined();
    expect(kept['(not kept)']).toBe(`2 headers, ${'x-junk-1'.length + 14_000 + 'cookie'.length + '[redacted]'.length} bytes`);
  });

  it('keeps at most 16 headers however many match', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x-event-${i}`, 'v']));
    const kept = keptHeaders(many);
    expect(Object.keys(kept)).toHaveLength(17);
    expect(kept['(not kept)']).toMatch(/^84 headers/);
  });
});
