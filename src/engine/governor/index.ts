/** The rate budget shared by every worker through the database (the SQL `RateBudgetStore`). */
export { createSqlRateBudgetStore, SqlRateBudgetStore, type SqlRateBudgetStoreOptions } from './sql-rate-budget-store.js';
