/**
 * Work written as a generator that yields at safe points, run either to its end at once (the CLI,
 * `start`) or in slices that give the event loop back in between (the server: a large recipe
 * never holds up webhooks and other requests).
 */

/** Longest slice of work between two turns of the event loop (ms). */
export const SLICE_MS = 8;

/** A generator of work: `yield` where it may pause, `return` the result. */
export type Steps<T> = Generator<void, T, void>;

/**
 * Runs the steps to their end without pausing.
 *
 * @example
 * const result = runSteps(readYaml(text));
 */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs the steps, giving the event loop a turn (`setImmediate`) whenever a slice of work has
 * lasted `sliceMs`, so other requests are answered meanwhile.
 *
 * @example
 * const result = await runStepsYielding(readYaml(text));
 */
export async function runStepsYielding<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let started = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - started >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      started = performance.now();
    }
  }
}
