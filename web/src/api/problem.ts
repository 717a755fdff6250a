/** A refused API call, as the server explains it: `{ error: { code, message, field? } }`. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** the input the server names (`body.locationId`, `query.since`), shown beside that input */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  /** True when `field` names this input (with or without its `body.`/`query.` prefix). */
  isAbout(name: string): boolean {
    if (!this.field) return false;
    const bare = this.field.replace(/^(body|query|path)\./, '');
    return bare === name || bare.startsWith(`${name}.`) || bare.startsWith(`${name}[`);
  }
}

/** The problem of a non-2xx answer, whatever its body. */
export async function problemOf(res: Response, body?: unknown): Promise<ApiProblem> {
  let parsed = body;
  if (parsed === undefined) {
    try { parsed = await res.clone().json(); } catch { parsed = undefined; }
  }
  const e = (parsed as { error?: { code?: unknown; message?: unknown; field?: unknown } } | undefined)?.error;
  if (e && typeof e.message === 'string') return new ApiProblem(res.status, String(e.code ?? 'error'), e.message, typeof e.field === 'string' ? e.field : undefined);
  return new ApiProblem(res.status, 'http', `the server answered ${res.status} ${res.statusText}`.trim());
}
