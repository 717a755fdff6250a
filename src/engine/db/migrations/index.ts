import { sql as core } from './001-core.js';
import { sql as rateBudget } from './002-rate-budget.js';
import { sql as connectors } from './003-connectors.js';
import { sql as oauthStates } from './004-oauth-states.js';
import { sql as runsQueue } from './005-runs-queue.js';
import { sql as rateBudgetFunctions } from './006-rate-budget-functions.js';
import { sql as eventOriginals } from './007-event-originals.js';
import { sql as incidents } from './008-incidents.js';
import { sql as notificationClaims } from './009-notification-claims.js';
import { sql as recipeSource } from './010-recipe-source.js';
import { sql as consoleSessions } from './011-console-sessions.js';
import { sql as runsConsoleIndexes } from './012-runs-console-indexes.js';
import { sql as consoleIndexes } from './013-console-indexes.js';
import { sql as connectionTests } from './014-connection-tests.js';
import { sql as contactSearchIndexes } from './015-contact-search-indexes.js';

/** Versioned migrations, applied in order on start; never edit one that has shipped. */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, name: 'core', sql: core },
  { version: 2, name: 'rate-budget', sql: rateBudget },
  { version: 3, name: 'connectors', sql: connectors },
  { version: 4, name: 'oauth-states', sql: oauthStates },
  { version: 5, name: 'runs-queue', sql: runsQueue },
  { version: 6, name: 'rate-budget-functions', sql: rateBudgetFunctions },
  { version: 7, name: 'event-originals', sql: eventOriginals },
  { version: 8, name: 'incidents', sql: incidents },
  { version: 9, name: 'notification-claims', sql: notificationClaims },
  { version: 10, name: 'recipe-source', sql: recipeSource },
  { version: 11, name: 'console-sessions', sql: consoleSessions },
  { version: 12, name: 'runs-console-indexes', sql: runsConsoleIndexes },
  { version: 13, name: 'console-indexes', sql: consoleIndexes },
  { version: 14, name: 'connection-tests', sql: connectionTests },
  { version: 15, name: 'contact-search-indexes', sql: contactSearchIndexes },
];
