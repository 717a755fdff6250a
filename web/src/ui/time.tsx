const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago" / "in 2 hours". */
export function fromNow(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(ms) >= size || unit === 'second') return relative.format(Math.round(ms / size), unit);
  }
  return iso;
}

/** A duration in ms, short: 850 ms, 3.2 s, 4 min. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * A time, relative, with the exact time on hover and for screen readers.
 *
 * @example
 * <Time iso={run.createdAt} />
 */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  const exact = new Date(iso).toLocaleString();
  return <time dateTime={iso} title={exact}>{fromNow(iso)}</time>;
}
