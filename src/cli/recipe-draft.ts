/**
 * `recipes new`'s generator: a commented recipe YAML for one trigger, event, GHL connection and a
 * few actions, whose mapping starts from the trigger's fields (its sample, else its payload
 * schema). Pure: text in, text out; the command asks the questions and writes the file.
 */
import { CONTACT_FIELDS } from '../engine/recipes/schema.js';
import { guessFields, payloadFields, type DraftTrigger, type Guesses, type Leaf } from './recipe-draft-fields.js';

export { guessFields, payloadFields, type DraftTrigger, type Guesses, type Leaf } from './recipe-draft-fields.js';

/** The actions a draft can start with (an `app` action needs a connection and an action id: write it by hand). */
export const DRAFT_ACTIONS = ['upsertContact', 'tags', 'task', 'note', 'completeTask', 'deleteContact'] as const;
export type DraftAction = (typeof DRAFT_ACTIONS)[number];

export interface DraftInput {
  trigger: DraftTrigger;
  /** one of the trigger's events (any type for a `*` trigger) */
  event: string;
  /** the event source of the connection the events come from (`config.source`, else the app id; `ghl` for GHL) */
  source: string;
  /** the GHL location connection the actions write to */
  connection: string;
  actions: DraftAction[];
  id: string;
}

/** A YAML scalar: plain when it is a simple word or path, else double-quoted (JSON is valid YAML). */
export function scalar(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value) ? value : JSON.stringify(value);
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

function contactLines(g: Guesses): { lines: string[]; mapped: Set<string>; used: Set<string> } {
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
  return { lines, mapped, used };
}

/** A custom field key from a path: `candidate.createdAt` → `contact.created_at` (the record's own prefix dropped). */
function customKey(path: string, subject: string | undefined): string {
  const rest = subject !== undefined && path.startsWith(`${subject}.`) ? path.slice(subject.length + 1) : path;
  const words = rest.replace(/\[\d+\]/g, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return `contact.${words.replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
}

/** The other fields as commented-out suggestions: contact fields by their name, the rest as custom fields. */
function suggestionLines(leaves: Leaf[], mapped: Set<string>, used: Set<string>, g: Guesses): string[] {
  const rest = leaves.filter((l) => !mapped.has(l.path) && l.path !== g.recordId?.path).slice(0, 40);
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
  if (custom.length > 0) lines.push('    # customFields:   # custom fields of the location, by key (contact.<key>)', ...custom);
  return lines;
}

/** How the contact's `source` reads in GHL. */
const LABELS: Record<string, string> = { recruitee: 'Recruitee', connecteam: 'Connecteam', erp: 'ERP', ghl: 'GHL' };
const sourceLabel = (input: DraftInput) => (input.trigger.app === 'webhook' ? input.source : LABELS[input.trigger.app] ?? input.trigger.app);

function actionLines(input: DraftInput, g: Guesses, recordPath: string): string[] {
  const rec = `{{${recordPath}}}`;
  const who = g.fullName ? `{{${g.fullName.path}}}` : g.firstName ? `{{${g.firstName.path}}}` : g.email ? `{{${g.email.path}}}` : rec;
  const base = slug(input.id);
  const lines: string[] = [];
  for (const type of input.actions) {
    switch (type) {
      case 'upsertContact':
        lines.push('  - type: upsertContact');
        break;
      case 'tags':
        lines.push('  # tags are added as a diff (never an overwrite); `managed: [...]` keeps exactly one of a set', '  - type: tags', `    add: { value: [${scalar(slug(input.source))}] }`);
        break;
      case 'task': {
        const due = [
          '    # due two business days after the event arrived, at 09:00 UTC (a replay computes the same date);',
          g.date
            ? `    # or from the payload: { path: ${g.date.path}, transforms: [{ date: { add: "+2d" } }] }`
            : '    # other forms: { now: "+3h" }, { now: "+1d", startOf: day, timeZone: Europe/Oslo }',
          '    dueDate: { now: "+2bd", at: "09:00" }',
        ];
        lines.push(
          '  # one task per record, matched by its sourceId: a repeated event never creates a second one',
          '  - type: task',
          `    sourceId: { template: ${JSON.stringify(`${base}-task-${rec}`)} }`,
          `    title: { template: ${JSON.stringify(`Follow up ${who}`)} }`,
          ...due,
          '    # assignedTo: { value: <GHL user id> }   # GHL → Settings → My Staff',
        );
        break;
      }
      case 'note':
        lines.push(
          '  # one note per record, matched by its sourceId (a changed body updates it)',
          '  - type: note',
          `    sourceId: { template: ${JSON.stringify(`${base}-note-${rec}`)} }`,
          `    body: { template: ${JSON.stringify(`${input.event === '*' ? 'Event' : input.event} from ${input.source}: ${who}`)} }`,
        );
        break;
      case 'completeTask':
        lines.push('  # completes the task a task action created for this record (same sourceId)', '  - type: completeTask', `    sourceId: { template: ${JSON.stringify(`${base}-task-${rec}`)} }`);
        break;
      case 'deleteContact':
        lines.push('  # the record was deleted at the source: tag the contact (policy: delete removes it from GHL)', '  - type: deleteContact', '    policy: tag', '    tag: inactive');
        break;
    }
  }
  return lines;
}

/**
 * The recipe as commented YAML; it passes `parseRecipe` (the mapping is a start: check the paths).
 *
 * @example
 * const trigger = buildCatalog(ALL_CONNECTORS).find((e) => e.id === 'recruitee.candidate.created')!;
 * draftRecipe({ trigger, event: 'candidate.created', source: 'recruitee', connection: 'ghl-main', actions: ['upsertContact', 'tags'], id: 'my-candidates' });
 */
export function draftRecipe(input: DraftInput): string {
  const { from, leaves } = payloadFields(input.trigger, input.event);
  const g = guessFields(leaves);
  const { lines: contact, mapped, used } = contactLines(g);
  const recordPath = g.recordId?.path ?? (input.trigger.app === 'webhook' ? 'data.id' : 'id');
  const out: string[] = [
    `# ${input.id}: ${input.trigger.title} (${input.trigger.id}, ${input.event}) → the GHL contact, in connection ${input.connection}.`,
    `# Drafted by \`ghl-bridge recipes new\` from the trigger's ${from === 'sample' ? 'sample event' : 'payload schema'}: the paths below were guessed from`,
    '# field names, so check each one, uncomment what you need, then `ghl-bridge recipes validate` this file.',
    `id: ${scalar(input.id)}`,
    '# a saved version never changes: raise it to change the recipe',
    'version: 1',
    `name: ${JSON.stringify(`${sourceLabel(input)} ${input.event === '*' ? 'events' : input.event} → GHL contact`)}`,
    'trigger:',
    `  # the event source of the connection: its config.source when set, else the app id${input.trigger.app === 'webhook' ? ' (your app: set config.source, e.g. my-app)' : ''}`,
    `  source: ${scalar(input.source)}`,
    `  events: [${scalar(input.event)}]`,
    '# the GHL location connection the actions write to',
    `connection: ${scalar(input.connection)}`,
    g.recordId ? '# the source record\'s id: the ledger key (one contact per record)' : "# the source record's id: the ledger key (one contact per record); no id field was found, so point it at yours",
    `recordId: ${scalar(recordPath)}`,
  ];
  const needs = [g.email, g.phone].filter((l): l is Leaf => l !== undefined);
  if (needs.length > 0) out.push('# GHL needs an email or a phone to find or create a contact', 'filter:', '  any:', ...needs.map((l) => `    - { path: ${scalar(l.path)}, exists: true }`));
  out.push('mapping:');
  const suggestions = suggestionLines(leaves, mapped, used, g);
  const fixed = [`    source: { value: ${JSON.stringify(sourceLabel(input))} }`];
  out.push('  contact:', ...contact, ...fixed, ...suggestions);
  out.push('actions:', ...actionLines(input, g, recordPath));
  return `${out.join('\n')}\n`;
}
