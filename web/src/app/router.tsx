/**
 * A tiny history router: the location is state, `Link` and `navigate` change it, a blocker can
 * hold a navigation (unsaved edits). Paths are patterns like `/runs/:id`.
 */
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

type Listener = () => void;
const listeners = new Set<Listener>();
const blockers = new Set<{ message: string }>();

const snapshot = () => window.location.pathname + window.location.search;
const emit = () => { for (const l of listeners) l(); };
window.addEventListener('popstate', emit);

function subscribe(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** False when a blocker is active and the person chose to stay. */
function mayLeave(): boolean {
  const first = blockers.values().next().value;
  return !first || window.confirm(first.message);
}

/**
 * Goes to `to` (a path with an optional query) without reloading.
 *
 * @example
 * navigate('/runs?status=dead');
 */
export function navigate(to: string, options: { replace?: boolean; force?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (!options.force && !mayLeave()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  emit();
}

/** Sends the person to sign in, and back here afterwards. */
export function navigateToSignIn(reason?: string): void {
  if (window.location.pathname === '/sign-in') return;
  const q = new URLSearchParams({ next: snapshot() });
  if (reason) q.set('error', reason);
  navigate(`/sign-in?${q}`, { replace: true, force: true });
}

/** Matches `/runs/:id` against `/runs/42` → `{ id: '42' }`, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(s[i]!);
    else if (part !== s[i]) return null;
  }
  return params;
}

export interface Location { path: string; query: URLSearchParams; href: string }

/** The current location; re-renders on every navigation. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, query: url.searchParams, href };
}

/**
 * Replaces some query parameters of the current page (filters live in the URL, so a link or a
 * reload keeps them); an empty value removes the parameter.
 */
export function setQuery(updates: Record<string, string | undefined | null>, options: { replace?: boolean } = { replace: true }): void {
  const url = new URL(window.location.href);
  for (const [k, v] of Object.entries(updates)) {
    if (v === undefined || v === null || v === '') url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  const qs = url.searchParams.toString();
  navigate(url.pathname + (qs ? `?${qs}` : ''), options);
}

/**
 * Holds navigation (in the app and closing/reloading the tab) while `when` is true.
 *
 * @example
 * useBlocker(dirty, 'Leave without saving your changes?');
 */
export function useBlocker(when: boolean, message = 'You have unsaved changes. Leave anyway?'): void {
  useEffect(() => {
    if (!when) return;
    const entry = { message };
    blockers.add(entry);
    const onUnload = (e: BeforeUnloadEvent) => { e.preventDefault(); e.returnValue = message; };
    window.addEventListener('beforeunload', onUnload);
    return () => { blockers.delete(entry); window.removeEventListener('beforeunload', onUnload); };
  }, [when, message]);
}

/** An anchor that navigates in the app (a plain click) and still opens new tabs (ctrl/cmd-click). */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}
