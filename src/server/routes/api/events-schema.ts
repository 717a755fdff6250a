/** Response shapes of the events routes (the console's typed client is generated from them). */
import { z } from 'zod';

/** One stored event without its payload (`EventSummary`). */
export const eventSummarySchema = z.object({
  id: z.number().int(),
  source: z.string(),
  externalId: z.string(),
  connectionId: z.string().nullable(),
  type: z.string(),
  recordId: z.string().nullable(),
  receivedAt: z.string(),
});

/** `GET /api/v1/events`. */
export const eventPageSchema = z.object({ items: z.array(eventSummarySchema), next: z.string().optional().describe('cursor of the next page') });

/** `GET /api/v1/events/{id}` (`getEvent`). */
export const eventDetailSchema = eventSummarySchema.extend({
  payload: z.record(z.string(), z.unknown()),
  originalPayload: z.string().optional().describe('the delivery as escaped JSON text, when it held characters the database cannot store (`payload` has them replaced by U+FFFD)'),
  runs: z.array(z.object({ id: z.number().int(), recipeId: z.string(), recipeVersion: z.number().int(), status: z.string() })),
});
