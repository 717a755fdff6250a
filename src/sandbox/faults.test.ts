import { describe, expect, it } from 'vitest';
import { FaultInjector, FaultRuleError, parseFaultFlag, parseFaultRule } from './faults.js';

describe('fault rules', () => {
  it('parses the compact flag syntax and JSON', () => {
    expect(parseFaultFlag('path=/contacts/**,status=503,rate=0.2')).toMatchObject({ kind: 'status', status: 503, rate: 0.2, path: '/contacts/**' });
    expect(parseFaultFlag('{"method":"post","path":"/contacts/","quirk":"create-422-but-stored"}')).toMatchObject({ kind: 'quirk', method: 'POST' });
  });

  it('names every problem of a bad rule', () => {
    try {
      parseFaultRule({ path: 'contacts', kind: 'status', status: 404, rate: 2 });
      expect.unreachable();
    } catch (e) {
      expect((e as FaultRuleError).problems).toEqual([
        'path must be a path pattern starting with /',
        'rate must be a number from 0 to 1',
        'status must be one of 429, 500, 502, 503, 504',
      ]);
    }
  });

  it('matches by method and pattern, honours rate and times', () => {
    let r = 0.5;
    const faults = new FaultInjector(() => r);
    faults.add(parseFaultRule({ method: 'GET', path: '/contacts/*', status: 500, rate: 0.6, times: 2 }));
    expect(faults.fire('GET', '/contacts/abc', ['status'])).toHaveLength(1);
    expect(faults.fire('POST', '/contacts/abc', ['status'])).toHaveLength(0);
    expect(faults.fire('GET', '/contacts/abc/tasks', ['status'])).toHaveLength(0);
    r = 0.7;
    expect(faults.fire('GET', '/contacts/abc', ['status'])).toHaveLength(0);
    r = 0.1;
    expect(faults.fire('GET', '/contacts/abc/', ['status'])).toHaveLength(1);
    expect(faults.fire('GET', '/contacts/abc', ['status'])).toHaveLength(0);
    expect(faults.list()[0]!.hits).toBe(2);
  });
});
