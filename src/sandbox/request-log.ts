/** The last N requests and running counts per operation and status, for `/_sandbox/requests`. */
export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  durationMs: number;
  locationId: string | null;
  fault: string | null;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private next = 0;
  private counts = new Map<string, Map<number, number>>();
  total = 0;

  constructor(private size: number) {}

  record(entry: RequestLogEntry): void {
    this.total++;
    if (this.entries.length < this.size) this.entries.push(entry);
    else {
      this.entries[this.next] = entry;
      this.next = (this.next + 1) % this.size;
    }
    const key = entry.operationId ?? `${entry.method} ${entry.path.startsWith('/_sandbox') ? '/_sandbox' : '(unmatched)'}`;
    let byStatus = this.counts.get(key);
    if (!byStatus) this.counts.set(key, (byStatus = new Map()));
    byStatus.set(entry.status, (byStatus.get(entry.status) ?? 0) + 1);
  }

  /** Newest last. */
  list(limit = this.size): RequestLogEntry[] {
    const ordered = [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
    return ordered.slice(-limit);
  }

  stats(): { total: number; byRoute: Record<string, Record<string, number>> } {
    const byRoute: Record<string, Record<string, number>> = {};
    for (const [route, byStatus] of this.counts) byRoute[route] = Object.fromEntries([...byStatus].map(([s, n]) => [String(s), n]));
    return { total: this.total, byRoute };
  }

  clear(): void {
    this.entries = [];
    this.next = 0;
    this.counts.clear();
    this.total = 0;
  }
}
