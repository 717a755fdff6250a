import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/dead-letters/replay',
  summary: 'Replay every dead-lettered run',
  tag: 'dead-letters',
  auth: true,
  responses: { 200: { description: '{ replayed: [runIds] }' } },
  async handler({ server, c }) {
    return c.json({ replayed: await server.bridge.engine.replay() });
  },
});
