/**
 * A GHL contact's 360° view (contact, tasks, notes, appointments) as one short plain-text note,
 * since a Connecteam user note is text of at most 1000 characters.
 */
export const NOTE_LIMIT = 1000;

type Rec = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const day = (v: unknown): string | undefined => str(v)?.slice(0, 10);

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * @example
 * summarizeContactView({ contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@x.io', tags: ['vip'] }, tasks: [{ title: 'Call', dueDate: '2026-03-01T10:00:00Z', completed: false }] });
 * // 'GHL contact: Ada Lovelace · ada@x.io\nTags: vip\nOpen tasks (1): Call (due 2026-03-01)'
 */
export function summarizeContactView(view: { contact: Rec; tasks?: Rec[]; notes?: Rec[]; appointments?: Rec[] }): string {
  const c = view.contact;
  const name = str(c.name) ?? ([str(c.firstName), str(c.lastName)].filter(Boolean).join(' ') || str(c.contactName) || '(no name)');
  const lines = [`GHL contact: ${[name, str(c.email), str(c.phone)].filter(Boolean).join(' · ')}`];
  const tags = Array.isArray(c.tags) ? c.tags.filter((t): t is string => typeof t === 'string') : [];
  if (tags.length > 0) lines.push(`Tags: ${tags.join(', ')}`);
  const tasks = view.tasks ?? [];
  const open = tasks.filter((t) => t.completed !== true);
  if (tasks.length > 0) {
    const items = open.map((t) => `${oneLine(str(t.title) ?? '(untitled)', 80)}${day(t.dueDate) ? ` (due ${day(t.dueDate)})` : ''}`);
    lines.push(`Open tasks (${open.length} of ${tasks.length})${items.length ? `: ${items.join('; ')}` : ''}`);
  }
  const notes = view.notes ?? [];
  if (notes.length > 0) {
    const latest = [...notes].sort((a, b) => String(b.dateAdded ?? '').localeCompare(String(a.dateAdded ?? '')))[0]!;
    lines.push(`Notes (${notes.length}); latest: ${oneLine(str(latest.body) ?? '', 200)}`);
  }
  const appointments = view.appointments ?? [];
  if (appointments.length > 0) {
    const items = appointments.map((a) => `${oneLine(str(a.title) ?? 'appointment', 60)}${str(a.startTime) ? ` at ${str(a.startTime)}` : ''}`);
    lines.push(`Appointments (${appointments.length}): ${items.join('; ')}`);
  }
  const text = lines.join('\n');
  return text.length > NOTE_LIMIT ? `${text.slice(0, NOTE_LIMIT - 1)}…` : text;
}
