/**
 * `ghl-bridge ops show <id>`: one catalog entry for people — what it is, where it listens or
 * what it calls, its schemas' top-level fields, and its sample (triggers) or example (actions).
 */
import type { CatalogEntry } from '../connectors/catalog.js';
import { schemaFields } from '../connectors/catalog-fields.js';
import type { JsonSchema } from '../connectors/types.js';

function fields(title: string, schema: JsonSchema | null | undefined): string[] {
  const list = schemaFields(schema);
  if (list.length === 0) return [`${title}: ${schema ? 'any JSON object' : 'none'}`];
  const width = Math.max(...list.map((f) => f.name.length + (f.required ? 1 : 0)));
  return [`${title}:`, ...list.map((f) => `  ${`${f.name}${f.required ? '*' : ''}`.padEnd(width)}  ${f.type}${f.description ? `  — ${f.description}` : ''}`)];
}

/**
 * The human form of an entry (`*` marks required fields).
 *
 * @example
 * process.stdout.write(renderEntry(catalog.find((e) => e.id === 'recruitee.addNote')!));
 */
export function renderEntry(e: CatalogEntry): string {
  const lines = [
    `${e.id}  ${e.title}`,
    '',
    `kind:       ${e.kind === 'trigger' ? `trigger (${e.type})` : 'action'}`,
    `app:        ${e.app}`,
    `endpoint:   ${e.endpoint}`,
    `scope:      ${e.scope ?? '-'}`,
  ];
  if (e.kind === 'trigger') {
    lines.push(`events:     ${(e.events ?? []).join(', ')}`, '', ...fields('payload (what a recipe maps; * required)', e.payload));
    const sample = e.sample;
    if (sample) {
      lines.push('', `sample (${sample.type}; \`ghl-bridge ops show ${e.id} --sample > event.json\` writes its payload):`, JSON.stringify(sample.payload, null, 2));
      const others = (e.samples ?? []).slice(1).map((s) => s.type);
      if (others.length > 0) lines.push('', `more samples (--json shows them; \`recipes dry-run <id> --sample --type T\` picks one): ${[...new Set(others)].join(', ')}`);
    }
  } else {
    lines.push(`idempotent: ${e.idempotent ? 'yes (safe to repeat)' : 'no'}`, '', ...fields('input (* required)', e.input), '', ...fields('output', e.output));
    if (e.example !== undefined) lines.push('', 'example input:', JSON.stringify(e.example, null, 2));
  }
  lines.push('', '--json prints the whole entry with the full JSON Schemas.');
  return `${lines.join('\n')}\n`;
}
