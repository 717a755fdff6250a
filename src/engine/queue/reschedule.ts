/** The run cannot proceed now; the worker re-enqueues it for `at` (epoch ms) without holding a slot. */
export class Reschedule extends Error {
  constructor(
    readonly at: number,
    reason: string,
  ) {
    super(reason);
  }
}
