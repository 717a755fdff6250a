/**
 * Whether a connection can feed a recipe in a full sync: its events carry the connection's
 * source, and a recipe only sees events of its trigger's source, so any other pairing would list
 * every record and run none of them.
 */
import { sourceOfConnection } from './connections.js';

interface Listed {
  id: string;
  app: string;
  config: Record<string, unknown>;
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/**
 * Why `connection` cannot feed `recipe` (the sources differ), naming those of `all` that can
 * (`all` null: not known here, none named); null when it can.
 *
 * @example
 * sourceMismatch({ id: 'erp-customers', trigger: { source: 'erp' } }, recruiteeMain, allConnections);
 * // 'connection recruitee-main (app recruitee) cannot feed recipe erp-customers: its trigger source is erp; use an erp connection (erp-main)'
 */
export function sourceMismatch(recipe: { id: string; trigger: { source: string } }, connection: Listed, all: readonly Listed[] | null): string | null {
  const source = sourceOfConnection(connection);
  const wanted = recipe.trigger.source;
  if (source === wanted) return null;
  if (all === null) return `connection ${connection.id} (app ${connection.app}) cannot feed recipe ${recipe.id}: its trigger source is ${wanted}, the connection's is ${source}`;
  const fitting = all.filter((c) => sourceOfConnection(c) === wanted).map((c) => c.id);
  const own = source === connection.app ? `app ${connection.app}` : `app ${connection.app}, source ${source}`;
  const next = fitting.length > 0
    ? `use ${article(wanted)} ${wanted} connection (${fitting.join(', ')})`
    : `no connection has source ${wanted} yet: add one with \`ghl-bridge connections add\` (its app, or config.source, ${wanted})`;
  return `connection ${connection.id} (${own}) cannot feed recipe ${recipe.id}: its trigger source is ${wanted}; ${next}`;
}
