import type { ViewRoute } from './view-types.ts';

/**
 * The console's views, each loaded when first visited (the first load stays small). A view's
 * folder exports `routes`; `prefix` is the part of the path that selects it.
 */
export interface ViewEntry { prefix: string; label: string; nav: boolean; load: () => Promise<{ routes: ViewRoute[] }> }

export const VIEWS: readonly ViewEntry[] = [
  { prefix: '/', label: 'Overview', nav: true, load: () => import('../views/overview/index.tsx') },
  { prefix: '/runs', label: 'Runs', nav: true, load: () => import('../views/runs/index.tsx') },
  { prefix: '/recipes', label: 'Recipes', nav: true, load: () => import('../views/recipes/index.tsx') },
  { prefix: '/connections', label: 'Connections', nav: true, load: () => import('../views/connections/index.tsx') },
  { prefix: '/contacts', label: 'Contacts', nav: true, load: () => import('../views/contacts/index.tsx') },
  { prefix: '/syncs', label: 'Syncs', nav: true, load: () => import('../views/syncs/index.tsx') },
  { prefix: '/catalog', label: 'Catalog', nav: true, load: () => import('../views/catalog/index.tsx') },
  { prefix: '/alerts', label: 'Alerts', nav: true, load: () => import('../views/alerts/index.tsx') },
  { prefix: '/rejections', label: 'Webhook rejections', nav: true, load: () => import('../views/rejections/index.tsx') },
  { prefix: '/sign-in', label: 'Sign in', nav: false, load: () => import('../views/sign-in/index.tsx') },
];

/** The view whose prefix is the longest match of `path`. */
export function viewFor(path: string): ViewEntry | undefined {
  let best: ViewEntry | undefined;
  for (const v of VIEWS) {
    const hit = v.prefix === '/' ? true : path === v.prefix || path.startsWith(`${v.prefix}/`);
    if (hit && (!best || v.prefix.length > best.prefix.length)) best = v;
  }
  return best;
}
