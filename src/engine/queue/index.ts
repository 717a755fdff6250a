export type { Job, JobQueue, QueueOptions, SendOptions } from './types.js';
export { pgBossQueue } from './pg-boss.js';
