import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api, unwrap } from '../../api/client.ts';
import { Card, ErrorBox } from '../../ui/index.ts';
import type { RunStats, StatsRange } from './types.ts';

const RANGES: Array<{ value: StatsRange; label: string }> = [
  { value: '1h', label: '1 hour' },
  { value: '24h', label: '24 hours' },
  { value: '7d', label: '7 days' },
];

/** The outcomes drawn, with the CSS variable of their colour. */
const SERIES: Array<{ key: 'succeeded' | 'skipped' | 'dead' | 'dismissed' | 'queued' | 'running'; label: string; color: string }> = [
  { key: 'succeeded', label: 'Succeeded', color: '--ok' },
  { key: 'skipped', label: 'Skipped', color: '--muted' },
  { key: 'dead', label: 'Dead', color: '--bad' },
  { key: 'dismissed', label: 'Dismissed', color: '--warn' },
  { key: 'queued', label: 'Queued', color: '--info' },
  { key: 'running', label: 'Running', color: '--accent' },
];

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** The theme in force (the page's choice, else the system's): the chart's colours are read from it. */
function subscribeTheme(onChange: () => void): () => void {
  const attr = new MutationObserver(onChange);
  attr.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', onChange);
  return () => {
    attr.disconnect();
    media.removeEventListener('change', onChange);
  };
}
const themeNow = () => `${document.documentElement.getAttribute('data-theme') ?? 'system'}:${window.matchMedia('(prefers-color-scheme: dark)').matches}`;

/** The uPlot chart of the server's buckets (one line per outcome), redrawn when they or the theme change. */
function Chart({ stats }: { stats: RunStats }) {
  const box = useRef<HTMLDivElement>(null);
  const theme = useSyncExternalStore(subscribeTheme, themeNow);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = stats.buckets.map((b) => Date.parse(b.at) / 1000);
    const data: uPlot.AlignedData = [xs, ...SERIES.map((s) => stats.buckets.map((b) => b[s.key]))];
    const axis = { stroke: css('--muted'), grid: { stroke: css('--border'), width: 1 }, ticks: { stroke: css('--border') } };
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 220,
        series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: css(s.color), width: 2, points: { show: false } }))],
        axes: [axis, { ...axis, size: 44 }],
        scales: { y: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(1, max)] } },
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [stats, theme]);
  return <div ref={box} className="runs-chart" role="img" aria-label={`Runs per ${stats.step === 60 ? 'minute' : stats.step === 900 ? '15 minutes' : 'hour'} by outcome, ${stats.totals.all} runs in all`} />;
}

/** Runs over 1 h / 24 h / 7 d with outcome totals. */
export function RunsCard() {
  const [range, setRange] = useState<StatsRange>('1h');
  const stats = useQuery({
    queryKey: ['stats-runs', range],
    queryFn: () => unwrap(api.GET('/api/v1/stats/runs', { params: { query: { range } } })),
    refetchInterval: 10_000,
  });
  return (
    <Card
      title="Runs"
      className="overview-runs"
      actions={
        <div className="segmented" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button key={r.value} type="button" className="btn btn-quiet" aria-pressed={range === r.value} onClick={() => setRange(r.value)}>
              {r.label}
            </button>
          ))}
        </div>
      }
    >
      {stats.error ? <ErrorBox error={stats.error} /> : null}
      {stats.data ? (
        <>
          <Chart stats={stats.data} />
          <ul className="outcome-totals" aria-label="Outcome totals">
            <li>
              <strong>{stats.data.totals.all}</strong> <span className="muted">all</span>
            </li>
            {SERIES.map((s) => (
              <li key={s.key} data-outcome={s.key}>
                <strong>{stats.data.totals[s.key]}</strong> <span className="muted">{s.label.toLowerCase()}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </Card>
  );
}
