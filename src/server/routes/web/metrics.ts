import { defineRoute } from '../contract.js';
import { checkMetricsToken } from '../metrics-auth.js';

export default defineRoute({
  method: 'GET',
  path: '/metrics',
  summary: 'Prometheus metrics (text format 0.0.4): counts by bounded labels only, no record-level data; a bearer token when metrics.tokenEnv is set',
  tag: 'ops',
  // not the admin token: a scraper gets its own (metrics.tokenEnv), or none
  auth: false,
  responses: { 200: { description: 'Prometheus text', contentType: 'text/plain; version=0.0.4' }, 401: { description: 'metrics.tokenEnv is set and the bearer token is missing or wrong' } },
  async handler({ c, server }) {
    checkMetricsToken(c.req.header('authorization'), server.bridge.config.metricsToken);
    const text = await server.metrics.render({ db: server.bridge.db, budget: server.bridge.ghl.budget, channels: Object.keys(server.bridge.config.alerts.channels) });
    return c.body(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  },
});
