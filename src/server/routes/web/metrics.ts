import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'GET',
  path: '/metrics',
  summary: 'Prometheus metrics (text format 0.0.4); nothing secret in it',
  tag: 'ops',
  auth: false,
  responses: { 200: { description: 'Prometheus text', contentType: 'text/plain; version=0.0.4' } },
  async handler({ c, server }) {
    const text = await server.metrics.render({ db: server.bridge.db, budget: server.bridge.ghl.budget });
    return c.body(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  },
});
