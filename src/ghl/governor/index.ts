/** The rate governor: the layer, the in-memory `RateBudgetStore`, and the port's types. */
export { governor, type GovernorOptions } from './layer.js';
export { DEFAULT_RATE_LIMITS, MemoryRateBudgetStore, type MemoryRateBudgetStoreOptions } from './memory-store.js';
export { observationOf, type GovernorObservation } from './observation.js';
export type { Admission, RateBudgetSnapshot, RateBudgetStore, RateLimits, RateObservation } from './types.js';
