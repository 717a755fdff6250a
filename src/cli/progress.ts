/**
 * A one-line progress bar for a terminal (no dependency): records done out of records known, the
 * rate, and an ETA from that rate once the total is final.
 */

export interface ProgressState {
  done: number;
  /** records known so far */
  total: number;
  /** the total is final (the app's listing ended) */
  final: boolean;
}

/**
 * The rate of progress from the first sample that moved, so the time before the first run ended
 * (listing, queueing) does not drag the ETA. Before a rate is measured, `budgetPerSecond` (the
 * GHL location's rate budget: requests per second it allows, about one write per new or changed
 * record) gives the ETA. Once measured, the rate decides: unchanged records cost no call at all.
 *
 * @example
 * const eta = createEta(); eta.sample(10, 1000); eta.sample(30, 3000); eta.rate(); // 10 per second
 * createEta({ budgetPerSecond: 10 }).eta({ done: 0, total: 600, final: true }); // 60 (seconds), until a rate is measured
 */
export function createEta(options: { budgetPerSecond?: number } = {}) {
  let first: { done: number; at: number } | null = null;
  let last: { done: number; at: number } | null = null;
  return {
    sample(done: number, at: number) {
      if (first === null) first = { done, at };
      last = { done, at };
    },
    /** records per second, or null before two samples apart */
    rate(): number | null {
      if (!first || !last || last.at - first.at < 500 || last.done <= first.done) return null;
      return ((last.done - first.done) * 1000) / (last.at - first.at);
    },
    /** seconds left, or null when unknown */
    eta(p: ProgressState): number | null {
      if (!p.final) return null;
      const left = Math.max(0, p.total - p.done);
      const r = this.rate();
      const budget = options.budgetPerSecond && options.budgetPerSecond > 0 ? left / options.budgetPerSecond : null;
      return r ? left / r : budget;
    },
  };
}

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * @example
 * bar({ done: 40, total: 100, final: true }, 12.5, 4.8, 30);
 * // '[############------------------]  40/100 records  12.5/s  ETA 5s'
 */
export function bar(p: ProgressState, rate: number | null, eta: number | null, width = 30): string {
  const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const filled = p.final ? Math.round(ratio * width) : Math.min(width, Math.round(ratio * width));
  const cells = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const of = p.final ? `${p.done}/${p.total}` : `${p.done}/${p.total}+ (listing)`;
  return `[${cells}] ${of} records  ${rate === null ? '–/s' : `${rate.toFixed(rate < 10 ? 1 : 0)}/s`}  ETA ${eta === null ? '–' : duration(eta)}`;
}
