/**
 * docs/catalog.md, rendered from the catalog: every trigger (events, endpoint, scope, payload
 * fields, its sample) and every action (endpoint, scope, idempotent, input fields, its example).
 * `npm run generate:catalog` writes it; a test renders it again and fails when the file is stale.
 */
import { buildCatalog, type CatalogEntry } from './catalog.js';
import { schemaFields } from './catalog-fields.js';
import type { AnyConnector, JsonSchema } from './types.js';

export const CATALOG_DOC_PATH = 'docs/catalog.md';
export const CATALOG_DOC_COMMAND = 'npm run generate:catalog';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function fieldTable(schema: JsonSchema | null | undefined): string[] {
  const fields = schemaFields(schema);
  if (fields.length === 0) return [schema ? 'Any JSON object.' : 'No input.'];
  return ['| field | type | required | description |', '|---|---|---|---|', ...fields.map((f) => `| ${code(f.name)} | ${cell(f.type)} | ${f.required ? 'yes' : ''} | ${cell(f.description ?? '')} |`)];
}

function count(catalog: CatalogEntry[], app: string, kind: 'trigger' | 'action'): string {
  const n = catalog.filter((e) => e.app === app && e.kind === kind).length;
  return `${n} ${kind}${n === 1 ? '' : 's'}`;
}

const json = (value: unknown) => ['```json', JSON.stringify(value, null, 2), '```'];

function facts(rows: Array<[string, string]>): string[] {
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
}

function trigger(e: CatalogEntry): string[] {
  const out = [`### ${code(e.id)}`, '', cell(e.title), '', ...facts([
    ['kind', `${e.type} trigger`],
    ['events', (e.events ?? []).map(code).join(', ')],
    ['endpoint', code(e.endpoint)],
    ['scope', e.scope ? cell(e.scope) : '—'],
  ]), '', 'Payload fields (what a recipe maps):', '', ...fieldTable(e.payload)];
  if (e.sample) out.push('', `Sample (${code(e.sample.type)}; \`ghl-bridge ops show ${e.id} --sample\` prints its payload):`, '', ...json(e.sample.payload));
  const more = [...new Set((e.samples ?? []).slice(1).map((s) => s.type))];
  if (more.length > 0) out.push('', `More samples: ${more.map(code).join(', ')} (\`ghl-bridge ops show ${e.id} --json\`).`);
  return out;
}

function action(e: CatalogEntry): string[] {
  const out = [`### ${code(e.id)}`, '', cell(e.title), '', ...facts([
    ['endpoint', code(e.endpoint)],
    ['scope', e.scope ? cell(e.scope) : '—'],
    ['idempotent', e.idempotent ? 'yes (safe to repeat after an ambiguous failure)' : 'no'],
  ]), '', 'Input fields:', '', ...fieldTable(e.input)];
  if (e.example !== undefined) out.push('', 'Example input:', '', ...json(e.example));
  return out;
}

/**
 * The whole document.
 *
 * @example
 * writeFileSync(CATALOG_DOC_PATH, renderCatalogDoc(ALL_CONNECTORS));
 */
export function renderCatalogDoc(connectors: readonly AnyConnector[]): string {
  const catalog = buildCatalog(connectors);
  const triggers = catalog.filter((e) => e.kind === 'trigger').length;
  const lines = [
    '# Operations catalog',
    '',
    `<!-- Generated from the connectors by \`${CATALOG_DOC_COMMAND}\` (scripts/generate-catalog.ts). Do not edit: change the code, then run the command. -->`,
    '',
    `**Generated** from the code: ${catalog.length} operations (${triggers} triggers, ${catalog.length - triggers} actions). Each trigger's sample is made by its connector's own normalisation from its fake's data, so it is what a recipe sees; \`ghl-bridge ops show <id>\` prints the same, and \`ghl-bridge ops show <id> --sample > event.json\` writes a payload for \`ghl-bridge recipes dry-run <recipe> --payload event.json\`.`,
    '',
    '## Contents',
    '',
    ...connectors.map((c) => `- [${c.title}](#${c.app}) (\`${c.app}\`): ${count(catalog, c.app, 'trigger')}, ${count(catalog, c.app, 'action')}`),
  ];
  for (const c of connectors) {
    const mine = catalog.filter((e) => e.app === c.app);
    lines.push('', `<a id="${c.app}"></a>`, '', `## ${c.title} (\`${c.app}\`)`);
    for (const e of mine.filter((x) => x.kind === 'trigger')) lines.push('', ...trigger(e));
    for (const e of mine.filter((x) => x.kind === 'action')) lines.push('', ...action(e));
  }
  return `${lines.join('\n')}\n`;
}
