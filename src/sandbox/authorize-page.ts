import type { ServerResponse } from 'node:http';
import type { SandboxCore } from './core.js';
import { escapeHtml, sendHtml } from './http-io.js';
import { newSecret } from './ids.js';
import type { App } from './model.js';
import { isInstalled } from './operations/index.js';

/**
 * The authorization page (`/v2/oauth/chooselocation`, also the older `/oauth/chooselocation`):
 * lists the locations, and on a choice redirects to `redirect_uri?code=…&state=…`.
 * Choosing the agency yields a Company code (user_type Company at the token endpoint).
 */
export const AUTHORIZE_PATHS = ['/v2/oauth/chooselocation', '/oauth/chooselocation'];

interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;color:#1b1b1f}button{font:inherit;padding:.5rem 1rem;margin:.25rem 0;cursor:pointer}
.error{color:#b00020}li{list-style:none;margin:.5rem 0}small{color:#666}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function check(core: SandboxCore, input: URLSearchParams): { app: App; params: AuthorizeParams } | { error: string } {
  const clientId = input.get('client_id') ?? '';
  const app = Object.values(core.store.state.apps).find((a) => a.clientId === clientId);
  if (!app) return { error: `Unknown client_id "${clientId}"` };
  const responseType = input.get('response_type') ?? 'code';
  if (responseType !== 'code') return { error: 'response_type must be "code"' };
  const redirectUri = input.get('redirect_uri') ?? app.redirectUris[0] ?? '';
  if (!app.redirectUris.includes(redirectUri)) return { error: `redirect_uri "${redirectUri}" is not registered for this app` };
  const scopes = (input.get('scope') ?? app.scopes.join(' ')).split(/[\s+]+/).filter(Boolean);
  const unknown = scopes.filter((s) => !app.scopes.includes(s));
  if (unknown.length > 0) return { error: `scope not allowed for this app: ${unknown.join(', ')}` };
  return { app, params: { clientId, redirectUri, scopes, state: input.get('state') } };
}

export function renderAuthorizePage(core: SandboxCore, res: ServerResponse, query: URLSearchParams): void {
  const checked = check(core, query);
  if ('error' in checked) return sendHtml(res, 400, page('Authorization failed', `<p class="error">${escapeHtml(checked.error)}</p>`));
  const { app, params } = checked;
  const hidden = [['client_id', params.clientId], ['redirect_uri', params.redirectUri], ['scope', params.scopes.join(' ')], ['state', params.state ?? '']]
    .map(([n, v]) => `<input type="hidden" name="${n}" value="${escapeHtml(v!)}">`)
    .join('');
  const choices = Object.values(core.store.state.companies)
    .map((company) => {
      const locations = Object.values(core.store.state.locations)
        .filter((l) => l.companyId === company.id)
        .map((l) => `<li><form method="post">${hidden}<input type="hidden" name="location_id" value="${escapeHtml(l.id)}"><button type="submit" data-location-id="${escapeHtml(l.id)}">${escapeHtml(l.name)}</button> <small>${escapeHtml(l.id)}</small></form></li>`)
        .join('');
      return `<h2>${escapeHtml(company.name)}</h2><ul>${locations}<li><form method="post">${hidden}<input type="hidden" name="company_id" value="${escapeHtml(company.id)}"><button type="submit" data-company-id="${escapeHtml(company.id)}">Whole agency (Company token)</button></form></li></ul>`;
    })
    .join('');
  sendHtml(res, 200, page(`Choose an account for ${app.name}`, `<p>Scopes: <code>${escapeHtml(params.scopes.join(' '))}</code></p>${choices}`));
}

/** The choice: records the installation, issues a code, sends the browser back to the app. */
export function submitAuthorizeChoice(core: SandboxCore, res: ServerResponse, form: URLSearchParams): void {
  const checked = check(core, form);
  if ('error' in checked) return sendHtml(res, 400, page('Authorization failed', `<p class="error">${escapeHtml(checked.error)}</p>`));
  const { app, params } = checked;
  const state = core.store.state;
  const location = state.locations[form.get('location_id') ?? ''];
  const companyId = location?.companyId ?? form.get('company_id') ?? '';
  if (!state.companies[companyId]) return sendHtml(res, 400, page('Authorization failed', '<p class="error">Choose a location or an agency</p>'));
  const user = Object.values(state.users).find((u) => u.companyId === companyId);
  const locationId = location?.id ?? null;
  if (!isInstalled(core, app.id, companyId, locationId ?? '') || (!locationId && !state.installations.some((i) => i.appId === app.id && i.companyId === companyId && i.locationId === null))) {
    state.installations.push({ appId: app.id, companyId, locationId, installedAt: core.stamp() });
    core.emit({
      type: 'INSTALL',
      locationId,
      companyId,
      scope: null,
      appId: app.id,
      payload: { type: 'INSTALL', appId: app.id, versionId: app.versionId, installType: locationId ? 'Location' : 'Company', ...(locationId ? { locationId } : {}), companyId, ...(user ? { userId: user.id } : {}), planId: 'sandbox-plan', trial: {}, isWhitelabelCompany: false, companyName: state.companies[companyId]!.name },
    });
  }
  const code = newSecret('sbx_code_');
  state.authCodes[code] = {
    code,
    appId: app.id,
    redirectUri: params.redirectUri,
    userType: locationId ? 'Location' : 'Company',
    companyId,
    locationId,
    scopes: params.scopes,
    userId: user?.id ?? 'sandbox-user',
    expiresAt: core.now() + 10 * 60 * 1000,
    used: false,
  };
  core.store.touch();
  const target = new URL(params.redirectUri);
  target.searchParams.set('code', code);
  if (params.state !== null) target.searchParams.set('state', params.state);
  res.writeHead(302, { location: target.toString(), 'content-length': '0' });
  res.end();
}
