import type { Appointment, Contact, Note, SandboxState, Task } from './model.js';
import { emptyState } from './model.js';

type ChildKind = 'tasks' | 'notes' | 'appointments';

/**
 * The sandbox's state with the indexes the API needs (contacts per location, records per
 * contact). Indexes are derived, never persisted. Every write marks the store dirty so that
 * persistence knows when to save.
 */
export class Store {
  state: SandboxState = emptyState();
  private contactsByLocation = new Map<string, Map<string, Contact>>();
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
  }

  private indexChild(kind: ChildKind, contactId: string, id: string): void {
    let ids = this.children[kind].get(contactId);
    if (!ids) this.children[kind].set(contactId, (ids = new Set()));
    ids.add(id);
  }
}
