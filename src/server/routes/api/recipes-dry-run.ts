import { z } from 'zod';
import { planFor, unchanged } from '../../../engine/apply/run.js';
import { ApiError } from '../../http/errors.js';
import { newestRecipe } from '../../queries/recipes.js';
import { defineRoute } from '../contract.js';
import { idText, translate } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/{id}/dry-run',
  summary: 'The exact GHL calls and field diffs one event would cause through this recipe; nothing is written',
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  body: z.strictObject({
    type: z.string().min(1).max(200),
    payload: z.record(z.string(), z.unknown()),
    source: z.string().min(1).max(200).optional().describe("default the recipe's trigger source"),
  }),
  responses: { 200: { description: '{ recipeId, version, enabled, evaluation, plan, locationId, skipReason }: skipReason `{ code, message }` says why the event would do nothing (event-type, filter, unchanged), else null' } },
  async handler({ params, body, server, c }) {
    const { bridge } = server;
    const found = await newestRecipe(bridge.db, params.id);
    if (!found) throw new ApiError(404, 'not-found', `no recipe "${params.id}"`);
    const event = { source: body.source ?? found.recipe.trigger.source, type: body.type, payload: body.payload };
    try {
      const result = await planFor({ db: bridge.db, ghl: bridge.ghl, apps: bridge.apps }, found.recipe, event);
      // the words a worker would store on the run, so the dry run and `runs show` agree
      const skipReason = result.evaluation.skip ?? (result.plan && result.plan.calls.length === 0 ? unchanged(result.plan) : null);
      return c.json({ recipeId: found.recipe.id, version: found.recipe.version, enabled: found.enabled, ...result, skipReason });
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof Error && /connection/i.test(e.message) && !(e as { status?: unknown }).status) throw new ApiError(422, 'misconfigured', e.message);
      return translate(e, found.recipe.connection);
    }
  },
});
