/**
 * The 360° view of one contact (recipe 9: the contact with its tasks, notes and appointments in
 * one result), shared by the `ghl.contactView` action and the engine's `contactView: true`.
 */
import type { JsonSchema } from '../types.js';

export { readContactView, type ContactView } from '../../engine/apply/contact-view.js';

export const contactViewSchema: JsonSchema = {
  type: 'object',
  required: ['contact', 'tasks', 'notes', 'appointments'],
  properties: {
    contact: { type: 'object', description: 'GET /contacts/{contactId} → contact' },
    tasks: { type: 'array', items: { type: 'object' }, description: 'GET /contacts/{contactId}/tasks → tasks' },
    notes: { type: 'array', items: { type: 'object' }, description: 'GET /contacts/{contactId}/notes → notes' },
    appointments: { type: 'array', items: { type: 'object' }, description: 'GET /contacts/{contactId}/appointments → events' },
  },
};
