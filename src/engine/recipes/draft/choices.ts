/**
 * What a recipe form offers: the transforms of the mapping language as menu entries (each with the
 * options it takes and the transforms it writes), and the actions a draft can start with. The
 * console and `recipes new` read these; neither has a list of its own.
 */
import type { Transform } from '../types.js';

/** One option of a transform choice, as a form shows it. */
export interface ChoiceOption {
  name: 'defaultCountry' | 'add' | 'format' | 'separator';
  label: string;
  kind: 'text' | 'enum';
  values?: string[];
  default?: string;
  required: boolean;
  help: string;
}

export interface TransformChoice {
  id: string;
  label: string;
  description: string;
  options: ChoiceOption[];
  /** `map` needs the field's `valueMap` ({ map, fallback? }) */
  needsValueMap?: boolean;
  /** the YAML it writes, for the menu's hint */
  example: string;
}

export type ChoiceOptions = Partial<Record<ChoiceOption['name'], string>>;

const COUNTRY: ChoiceOption = { name: 'defaultCountry', label: 'Default country', kind: 'text', default: 'US', required: false, help: 'ISO country code (US, GB, NO…) for numbers written without +country' };
const OFFSET: ChoiceOption = { name: 'add', label: 'Shift by', kind: 'text', required: false, help: 'a relative offset: +2d, -3h, +30m, +1w, +2bd (business days)' };
const FORMAT: ChoiceOption = { name: 'format', label: 'Format', kind: 'enum', values: ['iso', 'date'], default: 'iso', required: false, help: 'iso: 2026-12-04T09:00:00.000Z; date: 2026-12-04' };
const SEPARATOR: ChoiceOption = { name: 'separator', label: 'Separator', kind: 'text', default: ',', required: true, help: 'the text between items' };

interface Built extends TransformChoice {
  build(o: ChoiceOptions, valueMap?: { map: Record<string, unknown>; fallback?: unknown }): Transform[];
}

const simple = (id: Transform & string, label: string, description: string): Built => ({ id, label, description, options: [], example: `transforms: [${id}]`, build: () => [id] });

const CHOICES: Built[] = [
  simple('email', 'Email', 'trimmed and lower-cased; an invalid address is a mapping error'),
  simple('trim', 'Trim', 'spaces removed at both ends'),
  simple('lowercase', 'Lower case', 'all letters lower-cased'),
  simple('uppercase', 'Upper case', 'all letters upper-cased'),
  simple('titleCase', 'Title case', 'each word capitalised'),
  simple('firstName', 'First name of a full name', '"Ada King Lovelace" → "Ada"'),
  simple('lastName', 'Last name of a full name', '"Ada King Lovelace" → "King Lovelace"'),
  {
    id: 'phone', label: 'Phone (E.164)', description: 'any written phone number to +14155552671', options: [COUNTRY], example: 'transforms: [{ phone: { defaultCountry: US } }]',
    build: (o) => [{ phone: o.defaultCountry ? { defaultCountry: o.defaultCountry } : {} }],
  },
  {
    id: 'date', label: 'Date', description: 'a date or time to ISO 8601 (or YYYY-MM-DD), optionally shifted', options: [OFFSET, FORMAT], example: 'transforms: [{ date: { add: "+2d", format: iso } }]',
    build: (o) => [{ date: { ...(o.add ? { add: o.add } : {}), format: o.format === 'date' ? 'date' : 'iso' } }],
  },
  {
    id: 'map', label: 'Value map', description: 'replace known values (e.g. hired → employee), with a fallback for the others', options: [], needsValueMap: true, example: 'transforms: [{ map: { hired: employee }, fallback: candidate }]',
    build: (_o, vm) => [{ map: vm?.map ?? {}, ...(vm && vm.fallback !== undefined ? { fallback: vm.fallback } : {}) }],
  },
  simple('number', 'Number', 'text such as "42" to a number'),
  simple('boolean', 'Yes/no', 'true/yes/1/on or false/no/0/off'),
  { id: 'split', label: 'Split into a list', description: 'text to a list (for tags)', options: [SEPARATOR], example: 'transforms: [{ split: "," }]', build: (o) => [{ split: o.separator || ',' }] },
  { id: 'join', label: 'Join a list', description: 'a list to one text', options: [{ ...SEPARATOR, default: ', ' }], example: 'transforms: [{ join: ", " }]', build: (o) => [{ join: o.separator ?? ', ' }] },
];

/** The transform menu, without the builders. */
export const TRANSFORM_CHOICES: readonly TransformChoice[] = CHOICES.map(({ build: _b, ...c }) => c);

/**
 * The transforms one menu choice writes, or a problem.
 *
 * @example
 * transformsOf('phone', { defaultCountry: 'NO' }); // { ok: true, transforms: [{ phone: { defaultCountry: 'NO' } }] }
 */
export function transformsOf(id: string, options: ChoiceOptions = {}, valueMap?: { map: Record<string, unknown>; fallback?: unknown }): { ok: true; transforms: Transform[] } | { ok: false; message: string } {
  const choice = CHOICES.find((c) => c.id === id);
  if (!choice) return { ok: false, message: `unknown transform "${id}"; one of ${CHOICES.map((c) => c.id).join(', ')}` };
  if (choice.needsValueMap && (!valueMap || Object.keys(valueMap.map).length === 0)) return { ok: false, message: 'a value map needs valueMap: { map: { from: to, … }, fallback? }' };
  const unknown = Object.keys(options).find((k) => !choice.options.some((o) => o.name === k));
  if (unknown) return { ok: false, message: `transform ${id} has no option "${unknown}"${choice.options.length ? ` (it has ${choice.options.map((o) => o.name).join(', ')})` : ''}` };
  return { ok: true, transforms: choice.build(options, valueMap) };
}

/** The actions a draft can start with (an `app` action needs a connection and an action id: write it by hand). */
export const DRAFT_ACTIONS = ['upsertContact', 'tags', 'task', 'note', 'completeTask', 'deleteContact'] as const;
export type DraftAction = (typeof DRAFT_ACTIONS)[number];

export interface ActionChoice {
  kind: DraftAction;
  label: string;
  description: string;
  options: Array<{ name: string; label: string; kind: 'text' | 'list' | 'enum'; values?: string[]; default?: string; help: string }>;
}

/** The actions menu of the form, with the options each takes (templates may use `{{path}}`). */
export const ACTION_CHOICES: readonly ActionChoice[] = [
  { kind: 'upsertContact', label: 'Create or update the contact', description: 'the GHL contact of the source record (found through the ledger, then by email/phone)', options: [] },
  {
    kind: 'tags', label: 'Add tags', description: 'tags added as a diff, never an overwrite', options: [
      { name: 'tags', label: 'Tags', kind: 'list', help: 'comma-separated tags to add (default: the source name)' },
      { name: 'managed', label: 'Managed set', kind: 'list', help: 'tags this recipe owns: one of them is kept, the others removed' },
    ],
  },
  {
    kind: 'task', label: 'Create a task', description: 'one task per record (matched by its sourceId), created once, updated in place', options: [
      { name: 'title', label: 'Task title', kind: 'text', help: 'text with {{path}} placeholders' },
      { name: 'body', label: 'Task body', kind: 'text', help: 'optional text with {{path}} placeholders' },
      { name: 'dueIn', label: 'Due in', kind: 'text', default: '+2bd', help: 'after the event: +2d, +3h, +1w, +2bd (business days)' },
      { name: 'dueAt', label: 'Due at', kind: 'text', default: '09:00', help: 'clock time HH:MM (UTC), optional' },
      { name: 'assignedTo', label: 'Assigned to', kind: 'text', help: 'GHL user id (Settings → My Staff), optional' },
    ],
  },
  { kind: 'note', label: 'Add a note', description: 'one note per record (a changed body updates it)', options: [{ name: 'body', label: 'Note body', kind: 'text', help: 'text with {{path}} placeholders' }] },
  { kind: 'completeTask', label: 'Complete the task', description: 'marks the task of this record (created by a task action) completed', options: [] },
  {
    kind: 'deleteContact', label: 'Contact deleted at the source', description: 'tag the contact (or delete it from GHL)', options: [
      { name: 'policy', label: 'Policy', kind: 'enum', values: ['tag', 'delete'], default: 'tag', help: 'tag keeps the contact' },
      { name: 'tag', label: 'Tag', kind: 'text', default: 'inactive', help: 'the tag for policy tag' },
    ],
  },
];
