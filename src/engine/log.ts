/**
 * How the engine tells what people must see (dead letters, worker trouble): a level, one line of
 * text and structured fields, so a log pipeline can filter on `runId` or `recipeId` instead of
 * parsing a sentence. The host maps it to its logger (`openBridge`: pino, fields first).
 *
 * @example
 * const log: EngineLog = (level, message, fields) => logger[level](fields ?? {}, message);
 */
export type EngineLogLevel = 'info' | 'warn' | 'error';

export type EngineLog = (level: EngineLogLevel, message: string, fields?: Record<string, unknown>) => void;
