import { describe, expect, it } from 'vitest';
import { bar, createEta, duration } from './progress.js';

describe('sync progress', () => {
  it('rates from the first sample that moved, and an ETA only once the total is final', () => {
    const eta = createEta();
    eta.sample(0, 0);
    expect(eta.rate()).toBeNull();
    eta.sample(20, 2000);
    expect(eta.rate()).toBe(10);
    expect(eta.eta({ done: 20, total: 100, final: false })).toBeNull();
    expect(eta.eta({ done: 20, total: 100, final: true })).toBe(8);
  });

  it('takes the rate budget for the ETA until a rate is measured', () => {
    const eta = createEta({ budgetPerSecond: 10 });
    expect(eta.eta({ done: 0, total: 600, final: true })).toBe(60);
    expect(eta.eta({ done: 0, total: 600, final: false })).toBeNull();
    eta.sample(0, 0);
    eta.sample(100, 1000); // measured 100/s (many records unchanged: no call): the measured rate decides
    expect(eta.eta({ done: 100, total: 600, final: true })).toBe(5);
    const roomy = createEta({ budgetPerSecond: 1000 });
    roomy.sample(0, 0);
    roomy.sample(102, 2000); // 51/s measured, far under the budget: the measured rate decides
    expect(roomy.eta({ done: 102, total: 612, final: true })).toBeCloseTo(10);
  });

  it('draws done/total, the rate and the ETA', () => {
    expect(bar({ done: 40, total: 100, final: true }, 12.5, 4.8, 10)).toBe('[####------] 40/100 records  13/s  ETA 5s');
    expect(bar({ done: 3, total: 10, final: false }, null, null, 10)).toBe('[###-------] 3/10+ (listing) records  –/s  ETA –');
    expect(bar({ done: 0, total: 0, final: true }, 2.25, null, 4)).toBe('[----] 0/0 records  2.3/s  ETA –');
  });

  it('formats durations', () => {
    expect([duration(4.4), duration(61), duration(3725)]).toEqual(['4s', '1m01s', '1h02m']);
  });
});
