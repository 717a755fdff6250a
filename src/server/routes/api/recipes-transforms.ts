import { z } from 'zod';
import { ACTION_CHOICES, TRANSFORM_CHOICES } from '../../../engine/recipes/draft/index.js';
import { CONTACT_FIELDS } from '../../../engine/recipes/index.js';
import { defineRoute } from '../contract.js';

const option = z.object({ name: z.string(), label: z.string(), kind: z.string(), values: z.array(z.string()).optional(), default: z.string().optional(), required: z.boolean().optional(), help: z.string() });

const body = z.object({
  items: z.array(z.object({ id: z.string(), label: z.string(), description: z.string(), options: z.array(option), needsValueMap: z.boolean().optional(), example: z.string() })).describe('the transform menu: a field\'s `transform` is one id, with its `options`'),
  actions: z.array(z.object({ kind: z.string(), label: z.string(), description: z.string(), options: z.array(option) })).describe('the actions a form can add, with their options'),
  ghlFields: z.array(z.string()).describe('the GHL contact fields a form maps (plus tags, and customFields.<key>)'),
});

/**
 * `GET /api/v1/recipes/transforms`: the menus of the no-YAML recipe form — transforms (email,
 * name split, phone E.164, dates with offsets, value map…), actions and GHL fields — so a form
 * has no list of its own and writes what `POST /recipes/draft` understands.
 */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/recipes/transforms',
  summary: 'The recipe form\'s menus: transforms (with their options), actions, GHL contact fields',
  tag: 'recipes',
  auth: true,
  responses: { 200: { description: 'the menus', body } },
  handler({ c }) {
    return c.json({ items: [...TRANSFORM_CHOICES], actions: [...ACTION_CHOICES], ghlFields: [...CONTACT_FIELDS, 'tags'] } satisfies z.infer<typeof body>);
  },
});
