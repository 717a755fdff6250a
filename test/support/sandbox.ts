import { createSandbox, type Sandbox, type SandboxInfo, type SandboxOptions } from '../../src/sandbox/index.js';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  /** bearer token; default the location PIT; null sends no Authorization header */
  token?: string | null;
  /** Version header; null sends none */
  version?: string | null;
  headers?: Record<string, string>;
  /** raw body string sent as is (overrides body) */
  raw?: string;
}

export interface TestSandbox {
  sandbox: Sandbox;
  info: SandboxInfo;
  url: string;
  /** Calls the sandbox over real HTTP on loopback. */
  api<T = Record<string, unknown>>(method: string, path: string, options?: CallOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** Starts a real sandbox on a free loopback port (rate limits off unless options say otherwise). */
export async function startSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await createSandbox({
    ...options,
    config: { ...options.config, rateLimit: { enabled: false, ...options.config?.rateLimit } },
  });
  const info = sandbox.info();
  const api = async <T,>(method: string, path: string, o: CallOptions = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...o.headers };
    const token = o.token === undefined ? info.pit : o.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (o.version !== null) headers.version = o.version ?? '2021-07-28';
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${sandbox.url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (HTML pages): keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return { sandbox, info, url: sandbox.url, api, close: () => sandbox.close() };
}
