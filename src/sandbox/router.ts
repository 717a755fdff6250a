/**
 * Matches method + path against a route table in the order given (literal segments before
 * parameters, as the generated table is sorted), so `/contacts/search` never reaches
 * `/contacts/{contactId}`.
 */
export interface RouteDef<T> {
  method: string;
  path: string;
  value: T;
}

export type RouteMatch<T> =
  | { kind: 'found'; value: T; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

interface Compiled<T> {
  method: string;
  segments: Array<{ literal: string } | { param: string }>;
  value: T;
}

function split(path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.replace(/^\//, '').split('/');
}

export class Router<T> {
  private readonly compiled: Compiled<T>[];

  constructor(routes: ReadonlyArray<RouteDef<T>>) {
    this.compiled = routes.map((r) => ({
      method: r.method.toUpperCase(),
      value: r.value,
      segments: split(r.path).map((s) => (s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, -1) } : { literal: s })),
    }));
  }

  match(method: string, path: string): RouteMatch<T> {
    const parts = split(path);
    const allowed: string[] = [];
    // Try every route whose shape fits; the first in table order wins per method.
    for (const route of this.compiled) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i]!;
        const part = parts[i]!;
        if ('literal' in seg) {
          if (seg.literal !== part) {
            ok = false;
            break;
          }
        } else {
          let decoded: string;
          try {
            decoded = decodeURIComponent(part);
          } catch {
            ok = false;
            break;
          }
          params[seg.param] = decoded;
        }
      }
      if (!ok) continue;
      if (route.method === method.toUpperCase()) return { kind: 'found', value: route.value, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed: [...new Set(allowed)] } : { kind: 'not-found' };
  }
}
