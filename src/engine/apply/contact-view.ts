import type { GhlClient } from '../../ghl/client.js';
import type { Appointment, Contact, Note, Task } from '../../ghl/operations/models.js';

/** A GHL contact with everything linked to it: the 360° view. */
export interface ContactView {
  contact: Contact;
  tasks: Task[];
  notes: Note[];
  appointments: Appointment[];
}

/**
 * Reads a contact's 360° view: the contact, then its tasks, notes and appointments side by side
 * (an unknown contact fails once, with the client's typed error, before the other reads).
 *
 * @example
 * const view = await readContactView(client, contactId, { locationId });
 * console.log(view.contact.email, view.tasks.length, view.notes.length, view.appointments.length);
 */
export async function readContactView(client: GhlClient, contactId: string, options: { locationId?: string; signal?: AbortSignal } = {}): Promise<ContactView> {
  const o = { locationId: options.locationId, signal: options.signal };
  const { contact } = await client.contacts.get(contactId, o);
  const [{ tasks }, { notes }, { events }] = await Promise.all([client.tasks.list(contactId, o), client.notes.list(contactId, o), client.appointments.list(contactId, o)]);
  return { contact, tasks, notes, appointments: events };
}
