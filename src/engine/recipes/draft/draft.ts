/**
 * The one recipe drafter of `recipes new` and the console's no-YAML form: a commented recipe YAML
 * for one trigger, event, GHL connection and a few actions. Its mapping starts from the trigger's
 * fields (its sample, else its payload schema), guessed by name, unless the form gives the fields
 * itself. Pure: answers in, text out.
 */
import { CONTACT_FIELDS } from '../schema.js';
import type { Transform } from '../types.js';
import { DRAFT_ACTIONS, transformsOf, type ChoiceOptions, type DraftAction } from './choices.js';
import { guessFields, payloadFields, type DraftTrigger, type Guesses, type Leaf } from './fields.js';

export { DRAFT_ACTIONS, type DraftAction } from './choices.js';

/** One mapped GHL field of the form: where its value comes from and how it is transformed. */
export interface DraftField {
  /** a contact field (`email`, `firstName`…), `customFields.<key>`, or `tags` */
  ghlField: string;
  /** a path into the event payload (e.g. `data.email`); absent: `value` (or only `default`) */
  sourcePath?: string;
  /** a constant, instead of a path */
  value?: unknown;
  /** a transform of the menu (`TRANSFORM_CHOICES`), with its options */
  transform?: string;
  options?: ChoiceOptions;
  /** for the `map` transform, or after any other: replace known values, fallback for the rest */
  valueMap?: { map: Record<string, unknown>; fallback?: unknown };
  /** used when the value is missing */
  default?: unknown;
}

/** An action with its form options (`ACTION_CHOICES`); a bare kind takes the defaults. */
export interface DraftActionSpec {
  kind: DraftAction;
  tags?: string[];
  managed?: string[];
  title?: string;
  body?: string;
  dueIn?: string;
  dueAt?: string;
  assignedTo?: string;
  policy?: 'delete' | 'tag';
  tag?: string;
}

export interface DraftInput {
  trigger: DraftTrigger;
  /** one of the trigger's events (any type for a `*` trigger) */
  event: string;
  /** the event source of the connection the events come from (`config.source`, else the app id; `ghl` for GHL) */
  source: string;
  /** the GHL location connection the actions write to */
  connection: string;
  actions: Array<DraftAction | DraftActionSpec>;
  id: string;
  /** the recipe's name (default: "<source> <event> → GHL contact") */
  name?: string;
  /** the record id's path (default: guessed) */
  recordId?: string;
  /** the mapping, field by field; absent: guessed from the trigger's fields */
  fields?: DraftField[];
  /** who wrote it, for the header comment */
  by?: string;
}

/** A problem with one answer of the form: which one (`fields[2].transform`) and why. */
export class DraftError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'DraftError';
  }
}

/** A YAML scalar: plain when it is a simple word or path, else double-quoted (JSON is valid YAML). */
export function scalar(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value) ? value : JSON.stringify(value);
}

/** Any value as YAML flow text: `{ path: data.email, transforms: [email] }`. */
export function flow(value: unknown): string {
  if (typeof value === 'string') return scalar(value);
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${scalar(k)}: ${flow(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value ?? null);
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The source a connection of this app has when its config names none. */
export function defaultSource(app: string): string {
  return app === 'ghl' || app === 'ghl-location' ? 'ghl' : app;
}

/**
 * A recipe id from the source and event, e.g. `my-app-user-created`.
 *
 * @example
 * defaultRecipeId('recruitee', 'candidate.stage_changed'); // 'recruitee-candidate-stage-changed'
 */
export function defaultRecipeId(source: string, event: string): string {
  return slug(`${source}-${event === '*' ? 'events' : event}`).slice(0, 100) || 'my-recipe';
}

interface ContactPart {
  lines: string[];
  /** payload paths mapped (not suggested again) */
  mapped: Set<string>;
  /** contact fields set (not suggested again) */
  used: Set<string>;
  /** the paths a contact is found by (the filter) and named by (titles) */
  email?: string;
  phone?: string;
  who?: string;
}

function guessedContact(g: Guesses): ContactPart {
  const lines: string[] = [];
  const mapped = new Set<string>();
  const used = new Set<string>(['source']);
  const put = (field: string, leaf: Leaf | undefined, spec: (p: string) => string) => {
    if (!leaf) return;
    lines.push(`    ${field}: ${spec(scalar(leaf.path))}`);
    mapped.add(leaf.path);
    used.add(field);
  };
  put('email', g.email, (p) => `{ path: ${p}, transforms: [email] }`);
  if (g.firstName || g.lastName) {
    put('firstName', g.firstName, (p) => p);
    put('lastName', g.lastName, (p) => p);
  } else if (g.fullName) {
    // one full name: split into first and last
    put('firstName', g.fullName, (p) => `{ path: ${p}, transforms: [firstName] }`);
    lines.push(`    lastName: { path: ${scalar(g.fullName.path)}, transforms: [lastName] }`);
    used.add('lastName');
  }
  put('phone', g.phone, (p) => `{ path: ${p}, transforms: [{ phone: { defaultCountry: US } }] }`);
  put('companyName', g.company, (p) => p);
  return { lines, mapped, used, email: g.email?.path, phone: g.phone?.path, who: (g.fullName ?? g.firstName ?? g.email)?.path };
}

const CUSTOM_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The value spec of one form field (shorthand path when nothing else is set). */
function fieldSpec(f: DraftField, at: string): string {
  const transforms: Transform[] = [];
  if (f.transform) {
    const built = transformsOf(f.transform, f.options, f.valueMap);
    if (!built.ok) throw new DraftError(`${at}.transform`, built.message);
    transforms.push(...built.transforms);
  }
  if (f.valueMap && f.transform !== 'map') {
    if (Object.keys(f.valueMap.map).length === 0) throw new DraftError(`${at}.valueMap`, 'a value map needs at least one entry');
    transforms.push({ map: f.valueMap.map, ...(f.valueMap.fallback !== undefined ? { fallback: f.valueMap.fallback } : {}) });
  }
  const hasPath = f.sourcePath !== undefined && f.sourcePath !== '';
  if (hasPath && f.value !== undefined) throw new DraftError(`${at}.value`, 'a field takes a source path or a value, not both');
  if (!hasPath && f.value === undefined && f.default === undefined) throw new DraftError(`${at}.sourcePath`, `${f.ghlField}: pick a source path (or give a value)`);
  if (hasPath && transforms.length === 0 && f.default === undefined) return scalar(f.sourcePath!);
  return flow({ ...(hasPath ? { path: f.sourcePath } : f.value !== undefined ? { value: f.value } : {}), ...(transforms.length ? { transforms } : {}), ...(f.default !== undefined ? { default: f.default } : {}) });
}

function formContact(fields: DraftField[]): ContactPart {
  const lines: string[] = [];
  const custom: string[] = [];
  const mapped = new Set<string>();
  const used = new Set<string>();
  const part: ContactPart = { lines, mapped, used };
  const contact = new Set<string>([...CONTACT_FIELDS, 'tags']);
  fields.forEach((f, i) => {
    const at = `fields[${i}]`;
    const spec = fieldSpec(f, at);
    const key = f.ghlField.startsWith('customFields.') ? f.ghlField.slice('customFields.'.length) : null;
    if (key !== null) {
      if (!CUSTOM_KEY.test(key)) throw new DraftError(`${at}.ghlField`, `custom field key "${key}": letters, digits, "_", "." and "-", e.g. customFields.contact.plan`);
      if (used.has(f.ghlField)) throw new DraftError(`${at}.ghlField`, `${f.ghlField} is mapped twice`);
      custom.push(`      ${scalar(key)}: ${spec}`);
    } else {
      if (!contact.has(f.ghlField)) throw new DraftError(`${at}.ghlField`, `unknown GHL contact field "${f.ghlField}"; one of ${[...contact].join(', ')}, or customFields.<key>`);
      if (used.has(f.ghlField)) throw new DraftError(`${at}.ghlField`, `${f.ghlField} is mapped twice`);
      lines.push(`    ${f.ghlField}: ${spec}`);
    }
    used.add(f.ghlField);
    if (f.sourcePath) {
      mapped.add(f.sourcePath);
      if (f.ghlField === 'email') part.email = f.sourcePath;
      if (f.ghlField === 'phone') part.phone = f.sourcePath;
      if (!part.who && ['name', 'firstName'].includes(f.ghlField)) part.who = f.sourcePath;
    }
  });
  if (custom.length > 0) lines.push('    customFields:', ...custom);
  part.who ??= part.email;
  return part;
}

/** A custom field key from a path: `candidate.createdAt` → `contact.created_at` (the record's own prefix dropped). */
function customKey(path: string, subject: string | undefined): string {
  const rest = subject !== undefined && path.startsWith(`${subject}.`) ? path.slice(subject.length + 1) : path;
  const words = rest.replace(/\[\d+\]/g, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return `contact.${words.replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
}

/** The other fields as commented-out suggestions: contact fields by their name, the rest as custom fields. */
function suggestionLines(leaves: Leaf[], mapped: Set<string>, used: Set<string>, g: Guesses, recordPath: string, hasCustom: boolean): string[] {
  const rest = leaves.filter((l) => !mapped.has(l.path) && l.path !== recordPath).slice(0, 40);
  if (rest.length === 0) return [];
  const contact = new Set<string>(CONTACT_FIELDS);
  const lines = ['    # Other fields of the payload: uncomment what the contact should get.'];
  const custom: string[] = [];
  const keys = new Set<string>();
  for (const l of rest) {
    const note = l.kind === 'object' ? `   # an open object: map its fields, e.g. ${l.path}.<field>` : l.description ? `   # ${l.description.replace(/\s+/g, ' ').slice(0, 80)}` : '';
    if (contact.has(l.key) && !used.has(l.key) && l.kind !== 'object') {
      lines.push(`    # ${l.key}: { path: ${scalar(l.path)} }${note}`);
      used.add(l.key);
    } else {
      // two fields named alike (`candidate.stage`, `stage`): the second keeps its whole path
      let key = customKey(l.path, g.subject);
      if (keys.has(key)) key = customKey(l.path, undefined);
      keys.add(key);
      custom.push(`    #   ${key}: ${scalar(l.path)}${note}`);
    }
  }
  // (a form's own customFields block is above: its suggestions would be a second one)
  if (custom.length > 0 && !hasCustom) lines.push('    # customFields:   # custom fields of the location, by key (contact.<key>)', ...custom);
  return lines.length > 1 ? lines : [];
}

/** How the contact's `source` reads in GHL. */
const LABELS: Record<string, string> = { recruitee: 'Recruitee', connecteam: 'Connecteam', erp: 'ERP', ghl: 'GHL' };
const sourceLabel = (input: DraftInput) => (input.trigger.app === 'webhook' ? input.source : LABELS[input.trigger.app] ?? input.trigger.app);

const specOf = (a: DraftAction | DraftActionSpec): DraftActionSpec => (typeof a === 'string' ? { kind: a } : a);

function actionLines(input: DraftInput, contact: ContactPart, date: Leaf | undefined, recordPath: string): string[] {
  const rec = `{{${recordPath}}}`;
  const who = contact.who ? `{{${contact.who}}}` : rec;
  const base = slug(input.id);
  const lines: string[] = [];
  input.actions.map(specOf).forEach((a, i) => {
    if (!(DRAFT_ACTIONS as readonly string[]).includes(a.kind)) throw new DraftError(`actions[${i}].kind`, `unknown action "${String(a.kind)}"; one of ${DRAFT_ACTIONS.join(', ')}`);
    switch (a.kind) {
      case 'upsertContact':
        lines.push('  - type: upsertContact');
        break;
      case 'tags': {
        const tags = (a.tags ?? []).map((t) => t.trim()).filter(Boolean);
        const managed = (a.managed ?? []).map((t) => t.trim()).filter(Boolean);
        lines.push('  # tags are added as a diff (never an overwrite); `managed: [...]` keeps exactly one of a set', '  - type: tags');
        lines.push(`    add: { value: ${flow(tags.length > 0 || managed.length > 0 ? tags : [slug(input.source)])} }`);
        if (managed.length > 0) lines.push(`    managed: ${flow(managed)}`);
        break;
      }
      case 'task': {
        const dueIn = a.dueIn?.trim() || '+2bd';
        const dueAt = a.dueAt === undefined ? (a.dueIn ? undefined : '09:00') : a.dueAt.trim() || undefined;
        const due = [
          dueIn === '+2bd' && dueAt === '09:00' ? '    # due two business days after the event arrived, at 09:00 UTC (a replay computes the same date);' : `    # due ${dueIn} after the event arrived${dueAt ? `, at ${dueAt} UTC` : ''} (a replay computes the same date);`,
          date
            ? `    # or from the payload: { path: ${date.path}, transforms: [{ date: { add: "+2d" } }] }`
            : '    # other forms: { now: "+3h" }, { now: "+1d", startOf: day, timeZone: Europe/Oslo }',
          `    dueDate: { now: ${JSON.stringify(dueIn)}${dueAt ? `, at: ${JSON.stringify(dueAt)}` : ''} }`,
        ];
        lines.push(
          '  # one task per record, matched by its sourceId: a repeated event never creates a second one',
          '  - type: task',
          `    sourceId: { template: ${JSON.stringify(`${base}-task-${rec}`)} }`,
          `    title: { template: ${JSON.stringify(a.title?.trim() || `Follow up ${who}`)} }`,
          ...(a.body?.trim() ? [`    body: { template: ${JSON.stringify(a.body.trim())} }`] : []),
          ...due,
          a.assignedTo?.trim() ? `    assignedTo: { value: ${JSON.stringify(a.assignedTo.trim())} }` : '    # assignedTo: { value: <GHL user id> }   # GHL → Settings → My Staff',
        );
        break;
      }
      case 'note':
        lines.push(
          '  # one note per record, matched by its sourceId (a changed body updates it)',
          '  - type: note',
          `    sourceId: { template: ${JSON.stringify(`${base}-note-${rec}`)} }`,
          `    body: { template: ${JSON.stringify(a.body?.trim() || `${input.event === '*' ? 'Event' : input.event} from ${input.source}: ${who}`)} }`,
        );
        break;
      case 'completeTask':
        lines.push('  # completes the task a task action created for this record (same sourceId)', '  - type: completeTask', `    sourceId: { template: ${JSON.stringify(`${base}-task-${rec}`)} }`);
        break;
      case 'deleteContact':
        lines.push('  # the record was deleted at the source: tag the contact (policy: delete removes it from GHL)', '  - type: deleteContact', `    policy: ${a.policy === 'delete' ? 'delete' : 'tag'}`);
        if (a.policy !== 'delete') lines.push(`    tag: ${scalar(a.tag?.trim() || 'inactive')}`);
        break;
    }
  });
  return lines;
}

/**
 * The recipe as commented YAML; it passes `parseRecipe` (a guessed mapping is a start: check the paths).
 * A form's problem (an unknown field or transform) is a `DraftError` naming the answer.
 *
 * @example
 * const trigger = buildCatalog(ALL_CONNECTORS).find((e) => e.id === 'recruitee.candidate.created')!;
 * draftRecipe({ trigger, event: 'candidate.created', source: 'recruitee', connection: 'ghl-main', actions: ['upsertContact', 'tags'], id: 'my-candidates' });
 */
export function draftRecipe(input: DraftInput): string {
  const { from, leaves } = payloadFields(input.trigger, input.event);
  const g = guessFields(leaves);
  const fromForm = input.fields !== undefined;
  const contact = fromForm ? formContact(input.fields!) : guessedContact(g);
  const recordPath = input.recordId?.trim() || (g.recordId?.path ?? (input.trigger.app === 'webhook' ? 'data.id' : 'id'));
  const foundId = input.recordId?.trim() || g.recordId;
  const by = input.by ?? '`ghl-bridge recipes new`';
  const out: string[] = [
    `# ${input.id}: ${input.trigger.title} (${input.trigger.id}, ${input.event}) → the GHL contact, in connection ${input.connection}.`,
    ...(fromForm
      ? [`# Written by ${by}; each field is mapped from the trigger's ${from === 'sample' ? 'sample event' : 'payload schema'} as chosen there.`]
      : [
          `# Drafted by ${by} from the trigger's ${from === 'sample' ? 'sample event' : 'payload schema'}: the paths below were guessed from`,
          '# field names, so check each one, uncomment what you need, then `ghl-bridge recipes validate` this file.',
        ]),
    `id: ${scalar(input.id)}`,
    '# a saved version never changes: raise it to change the recipe',
    'version: 1',
    `name: ${JSON.stringify(input.name?.trim() || `${sourceLabel(input)} ${input.event === '*' ? 'events' : input.event} → GHL contact`)}`,
    'trigger:',
    `  # the event source of the connection: its config.source when set, else the app id${input.trigger.app === 'webhook' ? ' (your app: set config.source, e.g. my-app)' : ''}`,
    `  source: ${scalar(input.source)}`,
    `  events: [${scalar(input.event)}]`,
    '# the GHL location connection the actions write to',
    `connection: ${scalar(input.connection)}`,
    foundId ? '# the source record\'s id: the ledger key (one contact per record)' : "# the source record's id: the ledger key (one contact per record); no id field was found, so point it at yours",
    `recordId: ${scalar(recordPath)}`,
  ];
  const needs = [contact.email, contact.phone].filter((p): p is string => p !== undefined);
  if (needs.length > 0) out.push('# GHL needs an email or a phone to find or create a contact', 'filter:', '  any:', ...needs.map((p) => `    - { path: ${scalar(p)}, exists: true }`));
  out.push('mapping:');
  const fixed = contact.used.has('source') && fromForm ? [] : [`    source: { value: ${JSON.stringify(sourceLabel(input))} }`];
  contact.used.add('source');
  const suggestions = suggestionLines(leaves, contact.mapped, contact.used, g, recordPath, fromForm && input.fields!.some((f) => f.ghlField.startsWith('customFields.')));
  out.push('  contact:', ...contact.lines, ...fixed, ...suggestions);
  out.push('actions:', ...actionLines(input, contact, g.date, recordPath));
  return `${out.join('\n')}\n`;
}
