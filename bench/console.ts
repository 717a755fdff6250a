/**
 * The console's first load, measured where it lands: the built demo server (`npm start`'s
 * configuration) and Debian's Chromium opening the demo's one-time sign-in link, as a person
 * does. Counted: the JavaScript the browser received (bytes on the wire, as the browser reports
 * them) until the overview has rendered. Beside it, the same files uncompressed, and every chunk
 * the server holds, fetched over HTTP with `Accept-Encoding: gzip` (the views loaded later).
 */
import { request } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CLI, startChild } from './processes.js';
import { round } from './report.js';

interface Fetched { path: string; wire: number; raw: number; encoding: string; browserWire?: number }

function get(base: string, path: string): Promise<Fetched & { body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers: { 'accept-encoding': 'gzip', accept: path === '/' ? 'text/html' : '*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${path}: ${res.statusCode}`));
        const wire = Buffer.concat(chunks);
        const encoding = String(res.headers['content-encoding'] ?? 'identity');
        const raw = encoding === 'gzip' ? gunzipSync(wire) : wire;
        resolve({ path, wire: wire.length, raw: raw.length, encoding, body: raw.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The JS and CSS files a real browser loads to show the overview after the sign-in link. */
async function loadedByBrowser(loginUrl: string): Promise<Array<{ path: string; wire: number }>> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const seen: Array<Promise<{ path: string; wire: number }>> = [];
    page.on('requestfinished', (req) => {
      const path = new URL(req.url()).pathname;
      if (path.startsWith('/assets/')) seen.push(req.sizes().then((s) => ({ path, wire: s.responseBodySize })));
    });
    await page.goto(loginUrl);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    return await Promise.all(seen);
  } finally {
    await browser.close();
  }
}

export interface ConsoleBench { firstLoadJs: Fetched[]; css: Fetched[]; lazy: Fetched[]; jsWireKb: number; jsRawKb: number; lazyMaxWireKb: number; pass: boolean }

export async function benchConsole(): Promise<ConsoleBench> {
  const dir = await mkdtemp(join(tmpdir(), 'ghlb-bench-console-'));
  const demo = await startChild('demo', [CLI, 'demo', '--data', join(dir, 'data'), '--port', '0', '--sandbox-port', '0', '--log-level', 'warn', '--json'], { ready: /^\{.*\}$/m, timeoutMs: 120_000 });
  try {
    const info = JSON.parse(/^\{.*\}$/m.exec(demo.line)![0]) as { consoleUrl: string; loginUrl: string };
    const base = info.consoleUrl;
    const loaded = await loadedByBrowser(info.loginUrl);
    // the same files over HTTP with gzip (the target is in gzipped bytes; the browser asked for brotli too)
    const first = await Promise.all(loaded.map(async (l) => ({ ...(await get(base, l.path)), browserWire: l.wire })));
    const firstLoadJs = first.filter((f) => f.path.endsWith('.js'));
    const css = first.filter((f) => f.path.endsWith('.css'));
    // the chunks a view loads when first visited, fetched from the server the same way
    const assets = await readdir(new URL('../dist/web/assets/', import.meta.url));
    const firstSet = new Set(first.map((f) => f.path));
    const lazy = await Promise.all(assets.filter((a) => a.endsWith('.js') && !firstSet.has(`/assets/${a}`)).map((a) => get(base, `/assets/${a}`)));
    const jsWireKb = round(firstLoadJs.reduce((s, f) => s + f.wire, 0) / 1000, 1);
    const jsRawKb = round(firstLoadJs.reduce((s, f) => s + f.raw, 0) / 1000, 1);
    const lazyMaxWireKb = round(Math.max(0, ...lazy.map((f) => f.wire)) / 1000, 1);
    return { firstLoadJs, css, lazy, jsWireKb, jsRawKb, lazyMaxWireKb, pass: jsWireKb < 250 && firstLoadJs.length > 0 && first.every((f) => f.encoding === 'gzip') };
  } finally {
    await demo.stop('SIGINT', 20_000);
    await rm(dir, { recursive: true, force: true });
  }
}
