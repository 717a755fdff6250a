import type { ResponseOf } from '../../api/types.ts';

export type Overview = ResponseOf<'/api/v1/overview', 'get'>;
export type ConnectionHealth = Overview['connections'][number];
export type RateBudget = Overview['rateBudget'][number];
export type RunStats = ResponseOf<'/api/v1/stats/runs', 'get'>;
export type StatsRange = RunStats['range'];
