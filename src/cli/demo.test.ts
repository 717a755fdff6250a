import { describe, expect, it } from 'vitest';
import { scrapeLine } from './demo.js';

describe('the demo scrape line', () => {
  it('names the token variable when /metrics needs one, and never prints its value', () => {
    const line = scrapeLine('http://127.0.0.1:8787', 'SCRAPE_TOKEN', 'scrape-token-0123456789');
    expect(line).toBe('curl -H "Authorization: Bearer $SCRAPE_TOKEN" http://127.0.0.1:8787/metrics');
    expect(line).not.toContain('scrape-token-0123456789');
  });

  it('sends no header when the scrape is open (no tokenEnv, or its variable unset)', () => {
    expect(scrapeLine('http://h:1', undefined, undefined)).toBe('curl http://h:1/metrics');
    expect(scrapeLine('http://h:1', 'SCRAPE_TOKEN', undefined)).toBe('curl http://h:1/metrics');
  });
});
