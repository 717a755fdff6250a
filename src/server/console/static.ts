/**
 * Serves the console's built single-page app (`dist/web`: index.html and hashed `assets/…`) at
 * `/`: assets cached for good, index.html revalidated, brotli or gzip when the browser takes it
 * (compressed once per file version and kept in memory), a strict Content-Security-Policy on every
 * HTML answer, and index.html for any other page path a browser navigates to (the SPA routes).
 * Paths of the API, the ingress, OAuth and operations are not the console's: their 404 stays JSON.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { Context } from 'hono';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The policy of every HTML answer: nothing but this origin's own files. */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** Headers of every console answer; HTML ones add the CSP. */
const COMMON_HEADERS: Record<string, string> = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
const HTML_HEADERS: Record<string, string> = { ...COMMON_HEADERS, 'content-security-policy': CONSOLE_CSP, 'x-frame-options': 'DENY' };

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Path prefixes that belong to the server, not the console: never a file, never the SPA. */
const SERVER_PREFIXES = ['/api', '/hooks', '/oauth', '/connect', '/healthz', '/readyz', '/metrics', '/login'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** Whether a path's extension is one of the served file types (`.js`, `.png`…), so it asks for a file, not a page. */
const isFileName = (path: string) => Object.hasOwn(TYPES, extname(path).toLowerCase());

const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json|wasm)|image\/svg\+xml)/;
/** Below this, compressing gains nothing worth a round of CPU. */
const COMPRESS_MIN = 512;

/**
 * The console's build directory: `<repo>/dist/web`, found from this module whether it runs
 * compiled (`dist/server/console/`) or from source (`src/server/console/` under tsx or vitest):
 * both are three levels below the package root.
 */
export function defaultConsoleDir(): string {
  return fileURLToPath(new URL('../../../dist/web', import.meta.url));
}

type Encoding = 'br' | 'gzip';

interface CachedFile {
  mtimeMs: number;
  size: number;
  etag: string;
  type: string;
  raw: Buffer;
  compressed: Partial<Record<Encoding, Promise<Buffer | null>>>;
}

/**
 * The encoding to answer with: brotli, else gzip, when `Accept-Encoding` takes it (`q=0` refuses;
 * `*` takes any), else none.
 *
 * @example
 * pickEncoding('gzip, deflate, br'); // 'br'
 * pickEncoding('br;q=0, gzip');      // 'gzip'
 */
export function pickEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const wildcard = q.get('*');
  const takes = (e: Encoding) => (q.get(e) ?? wildcard ?? 0) > 0;
  if (takes('br')) return 'br';
  if (takes('gzip')) return 'gzip';
  return undefined;
}

/**
 * The file a URL path names inside `root`, or null when the path is not one of its files' shape:
 * a segment that does not decode, is `.` or `..`, starts with a dot, or holds a slash, a backslash
 * or a NUL is refused, and the joined path must stay inside `root`.
 *
 * @example
 * fileOf('/srv/web', '/assets/app.js'); // '/srv/web/assets/app.js'
 * fileOf('/srv/web', '/assets/..%2f..%2fpackage.json'); // null
 */
export function fileOf(root: string, pathname: string): string | null {
  const segments: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (s === '') continue;
    if (s.startsWith('.') || s.includes('/') || s.includes('\\') || s.includes('\0')) return null;
    segments.push(s);
  }
  const base = resolve(root);
  const file = resolve(base, ...segments);
  if (file !== base && !file.startsWith(base + sep)) return null;
  return file;
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ghl-bridge console</title></head>
<body><h1>ghl-bridge console</h1><p>The console is not built: run npm run build (then reload this page).</p>
<p>The admin API works meanwhile: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></body></html>
`;

export interface ConsoleStatic {
  /** The Hono handler: mount it last, for GET (HEAD follows). */
  handler(c: Context): Promise<Response>;
  /** The directory served. */
  dir: string;
}

/**
 * The console's static handler over `dir` (default `defaultConsoleDir()`). Files are read when
 * first asked and again only when their size or mtime changed (a rebuild under a running server).
 *
 * @example
 * app.get('*', consoleStatic({ dir: options.consoleDir }).handler);
 */
export function consoleStatic(o: { dir?: string } = {}): ConsoleStatic {
  const dir = resolve(o.dir ?? defaultConsoleDir());
  const cache = new Map<string, CachedFile>();

  async function load(file: string): Promise<CachedFile | null> {
    let info;
    try {
      info = await stat(file);
    } catch {
      // gone (a rebuild renamed its hashed files): forget its bytes
      cache.delete(file);
      return null;
    }
    if (!info.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit;
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch {
      return null;
    }
    const entry: CachedFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`,
      type: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      raw,
      compressed: {},
    };
    cache.set(file, entry);
    return entry;
  }

  function compressed(entry: CachedFile, encoding: Encoding): Promise<Buffer | null> {
    const made = (entry.compressed[encoding] ??= (encoding === 'br'
      ? brotli(entry.raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: entry.raw.length } })
      : gzipAsync(entry.raw, { level: 9 })
    ).then((b) => (b.length < entry.raw.length ? b : null), () => null));
    return made;
  }

  async function send(c: Context, entry: CachedFile, cacheControl: string): Promise<Response> {
    const html = entry.type.startsWith('text/html');
    const headers: Record<string, string> = { ...(html ? HTML_HEADERS : COMMON_HEADERS), 'content-type': entry.type, 'cache-control': cacheControl, etag: entry.etag };
    const compressible = COMPRESSIBLE.test(entry.type) && entry.raw.length >= COMPRESS_MIN;
    if (compressible) headers.vary = 'Accept-Encoding';
    if (c.req.header('if-none-match')?.split(',').some((t) => t.trim().replace(/^W\//, '') === entry.etag)) return c.body(null, 304, headers);
    const encoding = compressible ? pickEncoding(c.req.header('accept-encoding')) : undefined;
    const body = encoding ? await compressed(entry, encoding) : null;
    if (encoding && body) return c.body(new Uint8Array(body), 200, { ...headers, 'content-encoding': encoding });
    return c.body(new Uint8Array(entry.raw), 200, headers);
  }

  async function handler(c: Context): Promise<Response> {
    const pathname = new URL(c.req.url).pathname;
    if (SERVER_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return c.notFound();
    c.set('route', '/* (console)');
    const file = fileOf(dir, pathname);
    if (file === null) return c.notFound();
    const isAsset = pathname.startsWith('/assets/');
    const entry = file === dir ? null : await load(file);
    if (entry) return send(c, entry, isAsset ? IMMUTABLE : 'no-cache');
    // a file's path (under /assets, or an extension of the types served) that is not there: a 404,
    // not the app; any other name is a page (dots included: /catalog/recruitee.candidate.created)
    const page = file === dir || (!isAsset && !isFileName(file) && (c.req.header('accept') ?? '').includes('text/html'));
    if (!page) return c.notFound();
    const index = await load(join(dir, 'index.html'));
    if (index) return send(c, index, 'no-cache');
    return c.body(NOT_BUILT, 503, { ...HTML_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  }

  return { handler, dir };
}
