import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clearSessionCookie, secureCookie, setSessionCookie } from './guard.js';

/** The session cookie's Secure flag: from the request (its scheme, X-Forwarded-Proto) or the configured public URL. */
function app(publicUrl: string | undefined) {
  const a = new Hono();
  a.post('/in', (c) => {
    setSessionCookie(c, 'secret', new Date(Date.now() + 60_000), publicUrl);
    return c.body(null, 204);
  });
  a.delete('/in', (c) => {
    clearSessionCookie(c, publicUrl);
    return c.body(null, 204);
  });
  return a;
}

const cookieOf = async (publicUrl: string | undefined, url: string, init: RequestInit = { method: 'POST' }) =>
  (await app(publicUrl).request(url, init)).headers.get('set-cookie') ?? '';

describe('the session cookie', () => {
  it('is Secure when the configured public URL is https, though the request reached us over http (a proxy that does not say so)', async () => {
    expect(await cookieOf('https://bridge.example.com', 'http://127.0.0.1:8787/in')).toMatch(/; Secure/);
    expect(await cookieOf('HTTPS://bridge.example.com/', 'http://127.0.0.1:8787/in')).toMatch(/; Secure/);
    expect(await cookieOf('https://bridge.example.com', 'http://127.0.0.1:8787/in', { method: 'DELETE' })).toMatch(/ghlb_session=;.*; Secure/);
  });

  it('is Secure over https or behind a proxy saying X-Forwarded-Proto: https, and not over plain http with an http public URL', async () => {
    expect(await cookieOf('http://127.0.0.1:8787', 'https://bridge.example.com/in')).toMatch(/; Secure/);
    expect(await cookieOf('http://127.0.0.1:8787', 'http://127.0.0.1:8787/in', { method: 'POST', headers: { 'x-forwarded-proto': 'https' } })).toMatch(/; Secure/);
    const plain = await cookieOf('http://127.0.0.1:8787', 'http://127.0.0.1:8787/in');
    expect(plain).toMatch(/^ghlb_session=secret;.*HttpOnly/);
    expect(plain).not.toMatch(/Secure/);
    expect(await cookieOf(undefined, 'http://127.0.0.1:8787/in')).not.toMatch(/Secure/);
  });

  it('secureCookie reads only an https scheme, not a host that merely contains it', async () => {
    const a = new Hono();
    a.get('/', (c) => c.json([secureCookie(c, 'http://https.example.com'), secureCookie(c, ' https://x.example.com'), secureCookie(c, undefined)]));
    expect(await (await a.request('http://127.0.0.1/')).json()).toEqual([false, true, false]);
  });
});
