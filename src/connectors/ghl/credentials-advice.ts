/**
 * What to do when HighLevel refuses a location connection's credentials, worded for how it
 * authenticates (a PIT is replaced by a new token; OAuth is re-authorized) and with the real
 * connection id and location in the command, never a placeholder to fill in.
 */

/** What advice needs of a stored connection (its summary: never a secret). */
export interface AdvisedConnection {
  id: string;
  name?: string;
  config: Record<string, unknown>;
  hasSecrets?: boolean;
}

/**
 * How the engine authenticates with it: `config.auth`, else as the engine decides (a `pit`
 * secret when secrets are stored, else OAuth tokens).
 *
 * @example
 * ghlAuthKind({ id: 'ghl-main', config: { locationId: 'L1' }, hasSecrets: true }); // 'pit'
 */
export function ghlAuthKind(c: AdvisedConnection): 'pit' | 'oauth' {
  if (c.config.auth === 'oauth' || c.config.auth === 'pit') return c.config.auth;
  return c.hasSecrets ? 'pit' : 'oauth';
}

/** A word for a POSIX shell, quoted when it needs to be. */
const sh = (word: string) => (/^[A-Za-z0-9_.:/@=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * The fix for refused credentials, as a sentence and the command it names.
 *
 * @example
 * credentialsAdvice({ id: 'ghl-main', name: 'Dental', config: { locationId: 'L1', auth: 'pit' } }).text;
 * // 'create a new Private Integration Token in the location\'s settings (Settings → Private Integrations) with scopes
 * //  contacts.readonly contacts.write, then `ghl-bridge connections remove ghl-main && ghl-bridge connections add --app ghl-location --id ghl-main --name Dental --config \'{"locationId":"L1","auth":"pit"}\' --secret pit=…`'
 * credentialsAdvice({ id: 'ghl-main', config: { locationId: 'L1', auth: 'oauth' } }).command; // 'ghl-bridge connect ghl --connection ghl-main'
 */
export function credentialsAdvice(c: AdvisedConnection): { kind: 'pit' | 'oauth'; text: string; command: string } {
  const kind = ghlAuthKind(c);
  if (kind === 'oauth') {
    const command = `ghl-bridge connect ghl --connection ${sh(c.id)}`;
    return { kind, command, text: `re-authorize it: \`${command}\` prints a link; open it and choose the location again` };
  }
  // the settings it was added with, so the re-added connection is the same one with a new token
  // (the location and the auth kind first, as people write them)
  const { locationId, auth, ...rest } = c.config;
  const config = Object.fromEntries(Object.entries({ locationId, auth: auth ?? 'pit', ...rest }).filter(([, v]) => v !== undefined));
  const command = `ghl-bridge connections remove ${sh(c.id)} && ghl-bridge connections add --app ghl-location --id ${sh(c.id)} --name ${sh(c.name ?? c.id)} --config ${sh(JSON.stringify(config))} --secret pit=…`;
  return {
    kind,
    command,
    text: `create a new Private Integration Token in the location's settings (Settings → Private Integrations) with scopes contacts.readonly contacts.write, then \`${command}\``,
  };
}
