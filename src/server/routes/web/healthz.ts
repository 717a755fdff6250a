import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'GET',
  path: '/healthz',
  summary: 'Liveness: the process answers',
  tag: 'ops',
  auth: false,
  responses: { 200: { description: '{ ok: true }' } },
  handler: ({ c }) => c.json({ ok: true }),
});
