/**
 * The run cannot proceed now; the worker puts it back in the queue for `at` (epoch ms) without
 * holding a slot. `budget`: it waits for rate budget, so its lane (GHL connection) waits with it.
 * Never a fault: it costs the run no attempt.
 */
export class Reschedule extends Error {
  readonly budget: boolean;
  constructor(
    readonly at: number,
    reason: string,
    options: { budget?: boolean } = {},
  ) {
    super(reason);
    this.budget = options.budget ?? false;
  }
}
