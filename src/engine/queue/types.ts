import type { Queryable } from '../db/types.js';

/**
 * The `JobQueue` port (enqueue / work / schedule): pg-boss behind it today; another driver
 * (BullMQ, Temporal) can be added without touching connectors or recipes.
 */
export interface QueueOptions {
  /** Attempts after the first (default 0: the engine retries inside a run and dead-letters). */
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** A job running longer than this is presumed dead and handed to another worker. */
  expireInSeconds?: number;
  /** pg-boss policy; `short` keeps at most one waiting job per `singletonKey`. */
  policy?: 'standard' | 'short' | 'singleton' | 'stately';
}

export interface SendOptions {
  /** Not before this time (epoch ms): how a job without rate budget is rescheduled. */
  startAfter?: number;
  /** At most one waiting job per key, on a queue whose policy is `short` (pg-boss `singletonKey`). */
  singletonKey?: string;
  /** Enqueue inside this transaction (the event insert and the enqueue commit together). */
  tx?: Queryable;
}

export interface Job<T> {
  id: string;
  data: T;
}

export interface JobQueue {
  start(): Promise<void>;
  stop(options?: { graceful?: boolean }): Promise<void>;
  createQueue(name: string, options?: QueueOptions): Promise<void>;
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string | null>;
  /** Runs `handler` on batches; a throw fails the batch's jobs (retried per queue options). */
  work<T extends object>(name: string, options: { batchSize?: number; pollingIntervalSeconds?: number }, handler: (jobs: Job<T>[]) => Promise<void>): Promise<string>;
  /** Jobs waiting or running in a queue. */
  size(name: string): Promise<number>;
}
