import type { paths } from '../../api/client.ts';

export type Overview = paths['/api/v1/overview']['get']['responses'][200]['content']['application/json'];
export type ConnectionHealth = Overview['connections'][number];
export type RateBudget = Overview['rateBudget'][number];
export type RunStats = paths['/api/v1/stats/runs']['get']['responses'][200]['content']['application/json'];
export type StatsRange = RunStats['range'];
