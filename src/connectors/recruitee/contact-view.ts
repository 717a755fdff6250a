/**
 * A GHL contact's 360° view (contact, tasks, notes, appointments) as one Recruitee note. Recruitee
 * renders note bodies as HTML, so the note is small, escaped HTML. The rendering is deterministic
 * (no "generated at"), so pushing an unchanged view writes nothing.
 */
import { htmlToText } from './normalize.js';

/** First words of the note: how a later push finds it to update it in place. */
export const VIEW_HEADING = 'HighLevel contact view';

type Rec = Record<string, unknown>;

export interface ContactView {
  contact: Rec;
  tasks?: Rec[];
  notes?: Rec[];
  appointments?: Rec[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const day = (v: unknown): string | undefined => str(v)?.slice(0, 16).replace('T', ' ');

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function short(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function section(title: string, items: string[]): string {
  if (items.length === 0) return `<p><strong>${esc(title)}</strong>: none</p>`;
  return `<p><strong>${esc(title)} (${items.length})</strong></p><ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

/**
 * @example
 * renderContactView({ contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@x.io', tags: ['vip'] }, tasks: [], notes: [], appointments: [] });
 * // '<p><strong>HighLevel contact view</strong>: Ada Lovelace</p><p>Email: ada@x.io<br>Tags: vip<br>…'
 */
export function renderContactView(view: ContactView): string {
  const c = view.contact ?? {};
  const name = str(c.name) ?? str(c.contactName) ?? ([str(c.firstName), str(c.lastName)].filter(Boolean).join(' ') || '(no name)');
  const tags = Array.isArray(c.tags) ? c.tags.filter((t): t is string => typeof t === 'string') : [];
  const facts: Array<[string, string | undefined]> = [
    ['Email', str(c.email)],
    ['Phone', str(c.phone)],
    ['Company', str(c.companyName)],
    ['Source', str(c.source)],
    ['Tags', tags.length ? tags.join(', ') : undefined],
    ['Added', day(c.dateAdded)],
    ['GHL contact id', str(c.id)],
  ];
  const tasks = [...(view.tasks ?? [])]
    .sort((a, b) => String(a.dueDate ?? '').localeCompare(String(b.dueDate ?? '')))
    .map((t) => `${t.completed === true ? '[done] ' : ''}${esc(short(str(t.title) ?? '(untitled)', 120))}${day(t.dueDate) ? ` (due ${esc(day(t.dueDate)!)})` : ''}`);
  const notes = [...(view.notes ?? [])]
    .sort((a, b) => String(b.dateAdded ?? '').localeCompare(String(a.dateAdded ?? '')))
    .slice(0, 10)
    .map((n) => `${day(n.dateAdded) ? `${esc(day(n.dateAdded)!)}: ` : ''}${esc(short(htmlToText(str(n.body) ?? ''), 240))}`);
  const appointments = [...(view.appointments ?? [])]
    .sort((a, b) => String(a.startTime ?? '').localeCompare(String(b.startTime ?? '')))
    .map((a) => {
      const status = str(a.appointmentStatus) ?? str(a.status);
      return `${esc(short(str(a.title) ?? 'Appointment', 120))}${day(a.startTime) ? ` at ${esc(day(a.startTime)!)}` : ''}${status ? ` (${esc(status)})` : ''}`;
    });
  return [
    `<p><strong>${VIEW_HEADING}</strong>: ${esc(name)}</p>`,
    `<p>${facts.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${esc(v!)}`).join('<br>')}</p>`,
    section('Tasks', tasks),
    section('Notes', notes),
    section('Appointments', appointments),
  ].join('');
}

/** Whether a note body is a view this connector wrote (found by its heading, which survives HTML clean-up). */
export function isContactViewNote(body: string): boolean {
  return htmlToText(body).startsWith(VIEW_HEADING);
}
