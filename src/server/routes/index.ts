/**
 * Every route of the server, one file each. The order matters only where paths overlap:
 * literal segments (`/dead-letters/replay`) come before parameters (`/dead-letters/{runId}/replay`).
 */
import alertsChannels from './api/alerts-channels.js';
import alertsTest from './api/alerts-test.js';
import connectGhlLink from './api/connect-ghl-link.js';
import connectionsCreate from './api/connections-create.js';
import connectionsDelete from './api/connections-delete.js';
import connectionsGet from './api/connections-get.js';
import connectionsList from './api/connections-list.js';
import connectionsTest from './api/connections-test.js';
import connectionsWebhookTest from './api/connections-webhook-test.js';
import connectorsList from './api/connectors-list.js';
import contactsAudit from './api/contacts-audit.js';
import contactsSearch from './api/contacts-search.js';
import contactsView from './api/contacts-view.js';
import deadLettersDismissFiltered from './api/dead-letters-dismiss-filtered.js';
import deadLettersDismissOne from './api/dead-letters-dismiss-one.js';
import deadLettersGet from './api/dead-letters-get.js';
import deadLettersList from './api/dead-letters-list.js';
import deadLettersReplayFiltered from './api/dead-letters-replay-filtered.js';
import deadLettersReplayOne from './api/dead-letters-replay-one.js';
import eventsGet from './api/events-get.js';
import eventsList from './api/events-list.js';
import incidentsAcknowledge from './api/incidents-acknowledge.js';
import incidentsGet from './api/incidents-get.js';
import incidentsList from './api/incidents-list.js';
import incidentsMute from './api/incidents-mute.js';
import ledgerFind from './api/ledger-find.js';
import notificationsList from './api/notifications-list.js';
import operationsGet from './api/operations-get.js';
import operationsList from './api/operations-list.js';
import rateBudget from './api/rate-budget.js';
import recipesDisable from './api/recipes-disable.js';
import recipesDraft from './api/recipes-draft.js';
import recipesDryRun from './api/recipes-dry-run.js';
import recipesDryRunBackfill from './api/recipes-dry-run-backfill.js';
import recipesEnable from './api/recipes-enable.js';
import recipesGet from './api/recipes-get.js';
import recipesList from './api/recipes-list.js';
import recipesPause from './api/recipes-pause.js';
import recipesPreview from './api/recipes-preview.js';
import recipesResume from './api/recipes-resume.js';
import recipesSave from './api/recipes-save.js';
import recipesSaveVersion from './api/recipes-save-version.js';
import recipesSchema from './api/recipes-schema.js';
import recipesTransforms from './api/recipes-transforms.js';
import recipesValidate from './api/recipes-validate.js';
import recipesVersions from './api/recipes-versions.js';
import runsGet from './api/runs-get.js';
import runsList from './api/runs-list.js';
import syncsCancel from './api/syncs-cancel.js';
import syncsCreate from './api/syncs-create.js';
import syncsGet from './api/syncs-get.js';
import syncsResume from './api/syncs-resume.js';
import webhookRejections from './api/webhook-rejections.js';
import overviewGet from './api/overview-get.js';
import statsRuns from './api/stats-runs.js';
import syncsList from './api/syncs-list.js';
import loginLinksCreate from './api/login-links-create.js';
import sessionCreate from './api/session-create.js';
import sessionDelete from './api/session-delete.js';
import sessionGet from './api/session-get.js';
import sessionsList from './api/sessions-list.js';
import sessionsRevoke from './api/sessions-revoke.js';
import type { AnyRoute } from './contract.js';
import connectGhl from './web/connect-ghl.js';
import healthz from './web/healthz.js';
import login from './web/login.js';
import hooks from './web/hooks.js';
import metrics from './web/metrics.js';
import oauthCallback from './web/oauth-callback.js';
import readyz from './web/readyz.js';

/** The admin API under `/api/v1` (bearer admin token). */
export const API_ROUTES: readonly AnyRoute[] = [
  connectionsList, connectionsCreate, connectionsGet, connectionsDelete, connectionsTest, connectionsWebhookTest, connectGhlLink,
  recipesList, recipesValidate, recipesSchema, recipesTransforms, recipesPreview, recipesDraft, recipesSave, recipesEnable, recipesDisable, recipesPause, recipesResume, recipesDryRun, recipesDryRunBackfill,
  recipesGet, recipesVersions, recipesSaveVersion,
  eventsList, eventsGet,
  runsList, runsGet,
  deadLettersList, deadLettersReplayFiltered, deadLettersDismissFiltered, deadLettersGet, deadLettersReplayOne, deadLettersDismissOne,
  ledgerFind, contactsSearch, contactsAudit, contactsView, connectorsList,
  operationsList, operationsGet, rateBudget,
  syncsList, syncsCreate, syncsGet, syncsCancel, syncsResume,
  overviewGet, statsRuns,
  webhookRejections,
  incidentsList, incidentsGet, incidentsAcknowledge, incidentsMute,
  alertsChannels, alertsTest, notificationsList,
  sessionCreate, sessionGet, sessionDelete, sessionsList, sessionsRevoke, loginLinksCreate,
];

/** Outside the admin API: ingress, OAuth connect, health and metrics. */
export const WEB_ROUTES: readonly AnyRoute[] = [hooks, connectGhl, oauthCallback, healthz, readyz, metrics, login];

export { openApiRoute } from './web/openapi.js';
export { openApiDocument } from './openapi-document.js';
export { registerRoutes } from './router.js';
export type { AnyRoute, ServerContext, ServerEnv } from './contract.js';
