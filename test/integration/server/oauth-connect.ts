import type { ServerHarness } from './harness.js';

/**
 * The GHL OAuth connect flow as a browser follows it, from an admin-issued link: the link, the
 * sandbox's authorize page, the chosen location, and the callback with that browser's cookie.
 * Answers what the callback needs; `connectLocation` also follows it.
 */
export async function startConnect(h: ServerHarness, choose: (page: string) => string, connectionId?: string) {
  const res = await h.call('POST', '/api/v1/connect/ghl', { body: connectionId ? { connectionId } : {} });
  if (res.status !== 201 && res.status !== 200) throw new Error(`connect link: ${res.status} ${res.text}`);
  const start = await fetch(res.json.url as string, { redirect: 'manual' });
  const cookie = start.headers.get('set-cookie')!;
  const authorize = new URL(start.headers.get('location')!);
  const state = authorize.searchParams.get('state')!;
  const page = await (await fetch(authorize)).text();
  const form = new URLSearchParams({ client_id: authorize.searchParams.get('client_id')!, redirect_uri: authorize.searchParams.get('redirect_uri')!, scope: authorize.searchParams.get('scope')!, state, location_id: choose(page) });
  const chosen = await fetch(authorize, { method: 'POST', body: form, redirect: 'manual' });
  return { start, authorize, chosen, cookie: cookie.split(';')[0]!, callback: chosen.headers.get('location')!, state, setCookie: cookie };
}

/** Connects (or re-authorizes) `connectionId` to the sandbox's location by OAuth; throws unless the callback answers 200. */
export async function connectLocation(h: ServerHarness, connectionId: string): Promise<void> {
  const { cookie, callback } = await startConnect(h, () => h.sb.info.locationId, connectionId);
  const done = await fetch(callback, { headers: { cookie } });
  if (done.status !== 200) throw new Error(`OAuth callback: ${done.status} ${await done.text()}`);
}
