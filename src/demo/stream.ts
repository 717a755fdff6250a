/**
 * The stream of sample changes: one step of the demo script every `everyMs`, each saved to
 * demo.json once applied, up to `maxEvents` steps in all (counted across restarts). A step that
 * fails is logged and skipped, so one bad step does not stop the demo.
 */
import type { Logger } from 'pino';
import type { DemoEvent, DemoScript } from './script.js';
import { writeDemoState, type DemoState } from './state.js';

export interface DemoStream {
  /** Resolves with the number of steps applied in all, when the last one is done or the stream is stopped. */
  finished: Promise<number>;
  /** Stops after the step in flight (if any). */
  stop(): Promise<void>;
}

/**
 * @example
 * const stream = startDemoStream({ script, state, stateFile, everyMs: 5000, maxEvents: 240, logger });
 * await stream.stop();
 */
export function startDemoStream(options: { script: DemoScript; state: DemoState; stateFile: string; everyMs: number; maxEvents: number; logger: Logger; onEvent?: (e: DemoEvent) => void }): DemoStream {
  const { script, state } = options;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let stopped = false;
  let finish!: (steps: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const end = () => {
    stopped = true;
    finish(script.step);
  };

  async function tick(): Promise<void> {
    timer = null;
    if (stopped) return;
    try {
      const event = await script.next();
      options.logger.info({ demo: { step: event.step, kind: event.kind, connection: event.connection, polled: event.polled } }, `demo: ${event.summary}`);
      options.onEvent?.(event);
    } catch (e) {
      options.logger.warn({ err: e, step: script.step }, 'demo: a sample change failed; going on with the next one');
    }
    state.step = script.step;
    writeDemoState(options.stateFile, state);
    if (script.step >= options.maxEvents) end();
    else schedule();
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = tick().finally(() => (inFlight = null));
    }, options.everyMs);
  }

  if (script.step >= options.maxEvents) end();
  else schedule();

  return {
    finished,
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      stopped = true;
      await inFlight;
      finish(script.step);
    },
  };
}
