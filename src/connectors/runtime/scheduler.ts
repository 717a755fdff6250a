import { nextCronRun, parseCron } from '../../engine/recipes/index.js';

/** One scheduled job: a cron (UTC, 5 fields) or a fixed interval. */
export interface PollSchedule {
  name: string;
  cron?: string;
  everyMs?: number;
  run(signal: AbortSignal): Promise<unknown>;
}

/**
 * Runs polls and full syncs on their schedules in this process, one run of a job at a time (a
 * run still going when the next is due is not doubled). Errors are reported, never thrown away
 * silently, and do not stop the schedule.
 *
 * @example
 * const stop = startPolling([{ name: 'recruitee', everyMs: 60_000, run: () => runtime.poll('recruitee-main', 'recruitee.candidates.changed') }], { onError: console.error });
 * await stop();
 */
export function startPolling(jobs: PollSchedule[], options: { onError: (job: string, error: unknown) => void; now?: () => number }): () => Promise<void> {
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  for (const job of jobs) {
    const cron = job.cron ? parseCron(job.cron) : null;
    if (cron && !cron.ok) throw new Error(`${job.name}: invalid schedule: ${cron.message}`);
    if (!cron && !(job.everyMs && job.everyMs > 0)) throw new Error(`${job.name}: a schedule needs cron or everyMs`);
    const delay = () => (cron?.ok ? Math.max(0, (nextCronRun(cron.schedule, new Date(now()))?.getTime() ?? now() + 86_400_000) - now()) : job.everyMs!);
    const tick = () => {
      const t = setTimeout(async () => {
        timers.delete(t);
        const turn = job.run(controller.signal);
        running.add(turn);
        try {
          await turn;
        } catch (e) {
          if (!controller.signal.aborted) options.onError(job.name, e);
        } finally {
          running.delete(turn);
        }
        if (!controller.signal.aborted) tick();
      }, delay());
      timers.add(t);
    };
    tick();
  }
  /** Stops the schedules and waits for the turns in flight (aborted) to end, so the database can close after. */
  return async () => {
    controller.abort();
    for (const t of timers) clearTimeout(t);
    await Promise.allSettled([...running]);
  };
}
