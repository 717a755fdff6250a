/**
 * The console's first load, measured where it lands: the built demo server (`npm start`'s
 * configuration) answers `GET /` and the files it names, over real HTTP with
 * `Accept-Encoding: gzip`; the bytes counted are the bytes on the wire. Beside it, the same files'
 * uncompressed size and the chunks loaded later (each view on its first visit).
 */
import { request } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CLI, startChild } from './processes.js';
import { round } from './report.js';

interface Fetched { path: string; wire: number; raw: number; encoding: string }

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

/** The scripts, module preloads and stylesheets the page names (what the browser fetches first). */
const named = (html: string) => [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]!).filter((p) => p.startsWith('/assets/'));

export interface ConsoleBench { firstLoadJs: Fetched[]; css: Fetched[]; lazy: Fetched[]; jsWireKb: number; jsRawKb: number; lazyMaxWireKb: number; pass: boolean }

export async function benchConsole(): Promise<ConsoleBench> {
  const dir = await mkdtemp(join(tmpdir(), 'ghlb-bench-console-'));
  const demo = await startChild('demo', [CLI, 'demo', '--data', join(dir, 'data'), '--port', '0', '--sandbox-port', '0', '--log-level', 'warn'], { ready: /^ready (http\S+)$/m, timeoutMs: 120_000 });
  try {
    const base = /^ready (http\S+)$/m.exec(demo.line)?.[1] ?? demo.line.replace(/^ready /, '').trim();
    const index = await get(base, '/');
    const first = await Promise.all(named(index.body).map((p) => get(base, p)));
    const firstLoadJs = first.filter((f) => f.path.endsWith('.js'));
    const css = first.filter((f) => f.path.endsWith('.css'));
    // the chunks a view loads when first visited, fetched from the server the same way
    const assets = await readdir(new URL('../dist/web/assets/', import.meta.url));
    const firstSet = new Set(first.map((f) => f.path));
    const lazy = await Promise.all(assets.filter((a) => a.endsWith('.js') && !firstSet.has(`/assets/${a}`)).map((a) => get(base, `/assets/${a}`)));
    const jsWireKb = round(firstLoadJs.reduce((s, f) => s + f.wire, 0) / 1000, 1);
    const jsRawKb = round(firstLoadJs.reduce((s, f) => s + f.raw, 0) / 1000, 1);
    const lazyMaxWireKb = round(Math.max(0, ...lazy.map((f) => f.wire)) / 1000, 1);
    return { firstLoadJs, css, lazy, jsWireKb, jsRawKb, lazyMaxWireKb, pass: jsWireKb < 250 && firstLoadJs.length > 0 && firstLoadJs.every((f) => f.encoding === 'gzip') };
  } finally {
    await demo.stop('SIGINT', 20_000);
    await rm(dir, { recursive: true, force: true });
  }
}
