import { request } from 'node:http';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from './harness.js';

/**
 * The console's built files served by the real server from a directory of real files (a stand-in
 * build: index.html, a hashed script, an image): cache headers, compression, the CSP, the SPA
 * fallback, the API's JSON 404s, path traversal, and the page shown when nothing is built.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
const INDEX = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>console</title><script type="module" src="/assets/app-Ab12Cd34.js"></script></head><body><div id="root"></div>${'<!-- padding so it compresses -->'.repeat(40)}</body></html>`;
const SCRIPT = `export const views = [${Array.from({ length: 400 }, (_, i) => `"view-${i}"`).join(', ')}];\n`;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const SECRET = 'top-secret-outside-the-console-dir';

let h: ServerHarness;
let root: string;
let dir: string;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request exactly as written (no path normalization, no automatic decompression). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  const { hostname, port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function expectHtmlHeaders(r: Raw): void {
  expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(r.headers['content-security-policy']).toBe(CSP);
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  expect(r.headers['referrer-policy']).toBe('no-referrer');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ghlb-console-'));
  dir = join(root, 'web');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'app-Ab12Cd34.js'), SCRIPT);
  await writeFile(join(dir, 'assets', 'logo-Ef56.png'), PNG);
  await writeFile(join(root, 'secret.txt'), SECRET);
  h = await startServerHarness({ oauth: false, consoleDir: dir });
}, 60_000);

afterAll(async () => {
  await h?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the console at /', () => {
  it('serves index.html revalidated (no-cache) with the strict CSP, nosniff and no referrer', async () => {
    const r = await raw('/', html);
    expect(r.status).toBe(200);
    expectHtmlHeaders(r);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['x-request-id']).toBeDefined();
    expect(r.body.toString('utf8')).toBe(INDEX);
    const again = await raw('/', { ...html, 'if-none-match': String(r.headers.etag) });
    expect([again.status, again.body.length]).toEqual([304, 0]);
    const head = await raw('/', html, 'HEAD');
    expect([head.status, head.body.length, head.headers['content-security-policy']]).toEqual([200, 0, CSP]);
    expect((await raw('/index.html')).body.toString('utf8')).toBe(INDEX);
  });

  it('serves hashed assets cached for a year, immutable, with their type', async () => {
    const js = await raw('/assets/app-Ab12Cd34.js');
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.headers['content-encoding']).toBeUndefined();
    expect(js.headers.vary).toBe('Accept-Encoding');
    expect(js.body.toString('utf8')).toBe(SCRIPT);
    const png = await raw('/assets/logo-Ef56.png', { 'accept-encoding': 'gzip' });
    expect([png.status, png.headers['content-type'], png.headers['content-encoding']]).toEqual([200, 'image/png', undefined]);
    expect(png.body.equals(PNG)).toBe(true);
  });

  it('compresses with gzip or brotli when the browser takes it', async () => {
    const gz = await raw('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate' });
    expect([gz.headers['content-encoding'], gz.headers.vary]).toEqual(['gzip', 'Accept-Encoding']);
    expect(gz.body.length).toBeLessThan(SCRIPT.length / 2);
    expect(gunzipSync(gz.body).toString('utf8')).toBe(SCRIPT);
    const br = await raw('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(SCRIPT);
    const noBr = await raw('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'br;q=0, gzip;q=0.5' });
    expect(noBr.headers['content-encoding']).toBe('gzip');
    const index = await raw('/', { ...html, 'accept-encoding': 'gzip' });
    expect(index.headers['content-encoding']).toBe('gzip');
    expectHtmlHeaders(index);
    expect(gunzipSync(index.body).toString('utf8')).toBe(INDEX);
  });

  it('answers index.html for a page of the app a browser navigates to (/runs/5), a JSON 404 for a missing file', async () => {
    const page = await raw('/runs/5?status=dead', html);
    expect(page.status).toBe(200);
    expectHtmlHeaders(page);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body.toString('utf8')).toBe(INDEX);
    // not a navigation (a script asking), a file path, or under /assets: no app
    const json = await raw('/runs/5', { accept: 'application/json' });
    expect([json.status, JSON.parse(json.body.toString('utf8')).error.code]).toEqual([404, 'not-found']);
    expect((await raw('/assets/gone-123.js', html)).status).toBe(404);
    expect((await raw('/assets/recruitee.candidate.created', html)).status).toBe(404);
    expect((await raw('/favicon.ico', html)).status).toBe(404);
    expect((await raw('/robots.txt', html)).status).toBe(404);
    expect((await raw('/app.JS', html)).status).toBe(404);
    expect((await raw('/runs', html, 'POST')).status).toBe(404);
  });

  it('answers index.html for a page whose last segment has dots that are no file type (a reload of /catalog/recruitee.candidate.created)', async () => {
    for (const path of ['/catalog/recruitee.candidate.created', '/catalog/webhook.standard-webhooks', '/recipes/app.signup.v2', '/contacts/ada%40example.com']) {
      const r = await raw(path, html);
      expect([path, r.status]).toEqual([path, 200]);
      expectHtmlHeaders(r);
      expect(r.body.toString('utf8')).toBe(INDEX);
    }
    // still not for a script asking
    expect((await raw('/catalog/recruitee.candidate.created', { accept: 'application/json' })).status).toBe(404);
  });

  it('leaves the API, the ingress and OAuth their JSON answers', async () => {
    const noToken = await raw('/api/v1/nope', html);
    expect([noToken.status, String(noToken.headers['content-type'])]).toEqual([401, 'application/json']);
    const withToken = await raw('/api/v1/nope', { ...html, authorization: `Bearer ${ADMIN_TOKEN}` });
    expect([withToken.status, JSON.parse(withToken.body.toString('utf8')).error.code]).toEqual([404, 'not-found']);
    for (const path of ['/api', '/api/v2/x', '/hooks/my-app', '/oauth/elsewhere', '/connect/other', '/metrics/x', '/login/x']) {
      const r = await raw(path, html);
      expect([path, r.status, String(r.headers['content-type'])]).toEqual([path, 404, 'application/json']);
    }
    expect((await raw('/healthz')).status).toBe(200);
  });

  it('refuses paths out of the build directory', async () => {
    const tries = [
      '/assets/../../package.json',
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%00/../secret.txt',
      '/.%2e/secret.txt',
      '/assets/%E0%A4%A',
    ];
    for (const path of tries) {
      for (const headers of [{}, html]) {
        const r = await raw(path, headers);
        const body = r.body.toString('utf8');
        expect([path, r.status === 200 ? body : 'refused']).toEqual([path, 'refused']);
        expect(body).not.toContain(SECRET);
        expect(body).not.toContain('"name": "ghl-bridge"');
      }
    }
  });

  it('serves a rebuilt file, and says how to build when there is nothing to serve', async () => {
    await writeFile(join(dir, 'index.html'), `${INDEX}<!-- rebuilt -->`);
    expect((await raw('/', html)).body.toString('utf8')).toContain('<!-- rebuilt -->');
    await rename(join(dir, 'index.html'), join(root, 'index.html.away'));
    try {
      for (const path of ['/', '/runs/5']) {
        const r = await raw(path, html);
        expect(r.status).toBe(503);
        expectHtmlHeaders(r);
        expect(r.body.toString('utf8')).toContain('The console is not built: run npm run build');
      }
      // the API does not care
      expect((await h.call('GET', '/api/v1/runs')).status).toBe(200);
    } finally {
      await rename(join(root, 'index.html.away'), join(dir, 'index.html'));
    }
  });
});
