import type { Appointment, Contact, Note, SandboxState, Task } from './model.js';
import { emptyState } from './model.js';
import { phoneKey } from './phone.js';

/** Identity keys of a contact: `e:<email lower-cased>` and `p:<phone as E.164>`. */
function identityKeys(contact: Contact, country: string): string[] {
  const keys: string[] = [];
  if (contact.email) keys.push(`e:${contact.email.trim().toLowerCase()}`);
  const phone = phoneKey(contact.phone, country);
  if (phone) keys.push(`p:${phone}`);
  return keys;
}

type ChildKind = 'tasks' | 'notes' | 'appointments';

/**
 * The sandbox's state with the indexes the API needs (contacts per location, records per
 * contact). Indexes are derived, never persisted. Every write marks the store dirty so that
 * persistence knows when to save.
 */
export class Store {
  state: SandboxState = emptyState();
  private contactsByLocation = new Map<string, Map<string, Contact>>();
  /** location → identity key → contact ids, so duplicate checks need no scan */
  private identities = new Map<string, Map<string, Set<string>>>();
  private keysOf = new Map<string, string[]>();
  private children: Record<ChildKind, Map<string, Set<string>>> = {
    tasks: new Map(),
    notes: new Map(),
    appointments: new Map(),
  };
  private dirtyListeners: Array<() => void> = [];

  constructor(state?: SandboxState) {
    if (state) this.load(state);
  }

  load(state: SandboxState): void {
    this.state = state;
    this.contactsByLocation.clear();
    this.identities.clear();
    this.keysOf.clear();
    for (const kind of Object.keys(this.children) as ChildKind[]) this.children[kind].clear();
    for (const contact of Object.values(state.contacts)) this.indexContact(contact);
    for (const kind of Object.keys(this.children) as ChildKind[]) {
      for (const record of Object.values(state[kind])) this.indexChild(kind, record.contactId, record.id);
    }
  }

  onDirty(listener: () => void): void {
    this.dirtyListeners.push(listener);
  }

  touch(): void {
    for (const listener of this.dirtyListeners) listener();
  }

  // ---- contacts ----
  contact(id: string): Contact | undefined {
    return this.state.contacts[id];
  }

  contactsOf(locationId: string): IterableIterator<Contact> {
    return (this.contactsByLocation.get(locationId) ?? new Map<string, Contact>()).values();
  }

  /** Contacts of a location with this email (any case) or phone (E.164 key), oldest first. */
  contactsByIdentity(locationId: string, field: 'email' | 'phone', value: string): Contact[] {
    const country = this.state.locations[locationId]?.country ?? 'US';
    const key = field === 'email' ? `e:${value.trim().toLowerCase()}` : `p:${phoneKey(value, country) ?? ''}`;
    const ids = this.identities.get(locationId)?.get(key);
    return ids ? [...ids].map((id) => this.state.contacts[id]!).filter(Boolean) : [];
  }

  countContacts(locationId: string): number {
    return this.contactsByLocation.get(locationId)?.size ?? 0;
  }

  putContact(contact: Contact): void {
    this.state.contacts[contact.id] = contact;
    this.indexContact(contact);
    this.touch();
  }

  deleteContact(id: string): void {
    const contact = this.state.contacts[id];
    if (!contact) return;
    delete this.state.contacts[id];
    this.contactsByLocation.get(contact.locationId)?.delete(id);
    this.unindexIdentity(contact);
    for (const kind of Object.keys(this.children) as ChildKind[]) {
      for (const childId of this.children[kind].get(id) ?? []) delete this.state[kind][childId];
      this.children[kind].delete(id);
    }
    this.touch();
  }

  // ---- tasks, notes, appointments ----
  tasksOf(contactId: string): Task[] {
    return this.childrenOf('tasks', contactId);
  }

  notesOf(contactId: string): Note[] {
    return this.childrenOf('notes', contactId);
  }

  appointmentsOf(contactId: string): Appointment[] {
    return this.childrenOf('appointments', contactId);
  }

  putTask(task: Task): void {
    this.putChild('tasks', task);
  }

  putNote(note: Note): void {
    this.putChild('notes', note);
  }

  putAppointment(appointment: Appointment): void {
    this.putChild('appointments', appointment);
  }

  deleteTask(id: string): void {
    this.deleteChild('tasks', id);
  }

  deleteNote(id: string): void {
    this.deleteChild('notes', id);
  }

  private childrenOf<K extends ChildKind>(kind: K, contactId: string): Array<SandboxState[K][string]> {
    const ids = this.children[kind].get(contactId);
    if (!ids) return [];
    const table = this.state[kind] as Record<string, SandboxState[K][string]>;
    return [...ids].map((id) => table[id]!).filter(Boolean);
  }

  private putChild<K extends ChildKind>(kind: K, record: SandboxState[K][string]): void {
    (this.state[kind] as Record<string, SandboxState[K][string]>)[record.id] = record;
    this.indexChild(kind, record.contactId, record.id);
    this.touch();
  }

  private deleteChild(kind: ChildKind, id: string): void {
    const record = this.state[kind][id];
    if (!record) return;
    delete this.state[kind][id];
    this.children[kind].get(record.contactId)?.delete(id);
    this.touch();
  }

  private indexContact(contact: Contact): void {
    let byId = this.contactsByLocation.get(contact.locationId);
    if (!byId) this.contactsByLocation.set(contact.locationId, (byId = new Map()));
    byId.set(contact.id, contact);
    this.unindexIdentity(contact);
    const keys = identityKeys(contact, this.state.locations[contact.locationId]?.country ?? 'US');
    let byKey = this.identities.get(contact.locationId);
    if (!byKey) this.identities.set(contact.locationId, (byKey = new Map()));
    for (const key of keys) {
      let ids = byKey.get(key);
      if (!ids) byKey.set(key, (ids = new Set()));
      ids.add(contact.id);
    }
    this.keysOf.set(contact.id, keys);
  }

  private unindexIdentity(contact: Contact): void {
    const byKey = this.identities.get(contact.locationId);
    for (const key of this.keysOf.get(contact.id) ?? []) byKey?.get(key)?.delete(contact.id);
    this.keysOf.delete(contact.id);
  }

  private indexChild(kind: ChildKind, contactId: string, id: string): void {
    let ids = this.children[kind].get(contactId);
    if (!ids) this.children[kind].set(contactId, (ids = new Set()));
    ids.add(id);
  }
}
