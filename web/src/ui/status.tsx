const TONE: Record<string, string> = {
  succeeded: 'ok', applied: 'ok', ok: 'ok', healthy: 'ok', completed: 'ok', resolved: 'ok', enabled: 'ok',
  queued: 'info', running: 'info', waiting: 'info', open: 'bad', pending: 'info',
  skipped: 'muted', dismissed: 'muted', disabled: 'muted', cancelled: 'muted', muted: 'muted', acknowledged: 'warn',
  dead: 'bad', failed: 'bad', error: 'bad', paused: 'warn', 'reconnect needed': 'bad', degraded: 'warn',
};

/**
 * A status as a coloured pill (the word is always written: colour is never the only signal).
 *
 * @example
 * <StatusBadge status="dead" />
 */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <span className={`badge badge-${TONE[status] ?? 'muted'}`}>{label ?? status}</span>;
}
