/**
 * A tiny Prometheus registry (no dependency): counters and histograms with labels, rendered in the
 * text exposition format 0.0.4. Enough for what the server measures in-process; counts that live
 * in the database are read at scrape time instead (see `metrics/index.ts`).
 */
export type Labels = Record<string, string>;

/** Escapes a label value as the text format requires (backslash, quote, newline). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

/** One metric family's text: `# HELP`, `# TYPE` and its samples. */
export function family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string, samples: Array<{ labels: Labels; value: number; suffix?: string }>): string {
  const lines = [`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`];
  for (const s of samples) lines.push(`${name}${s.suffix ?? ''}${formatLabels(s.labels)} ${Number.isFinite(s.value) ? s.value : 0}`);
  return lines.join('\n');
}

/**
 * A counter by labels.
 *
 * @example
 * const c = new Counter('ghlbridge_http_requests_total', 'HTTP requests'); c.inc({ route: '/healthz' });
 */
export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const k = keyOf(labels);
    const v = this.values.get(k);
    if (v) v.value += by;
    else this.values.set(k, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }

  render(): string {
    return family(this.name, 'counter', this.help, [...this.values.values()]);
  }
}

/** Latency buckets in seconds: 1 ms to 10 s. */
export const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A histogram by labels (cumulative `le` buckets, `_sum`, `_count`).
 *
 * @example
 * const h = new Histogram('ghlbridge_http_request_duration_seconds', 'latency'); h.observe({ route: '/healthz' }, 0.002);
 */
export class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[] = DEFAULT_BUCKETS,
  ) {}

  observe(labels: Labels, value: number): void {
    const k = keyOf(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  render(): string {
    const samples: Array<{ labels: Labels; value: number; suffix: string }> = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => samples.push({ labels: { ...s.labels, le: String(b) }, value: s.counts[i]!, suffix: '_bucket' }));
      samples.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, suffix: '_bucket' });
      samples.push({ labels: s.labels, value: s.sum, suffix: '_sum' });
      samples.push({ labels: s.labels, value: s.count, suffix: '_count' });
    }
    return family(this.name, 'histogram', this.help, samples);
  }
}
