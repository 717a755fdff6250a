import { useEffect, useState } from 'react';
import { ErrorBox } from '../ui/index.ts';
import { matchPath, useLocation } from './router.tsx';
import type { ViewRoute } from './view-types.ts';
import { viewFor, type ViewEntry } from './views.ts';

const loaded = new Map<ViewEntry, ViewRoute[]>();

/** Renders the page of the current path, loading its view's code on first visit. */
export function Outlet() {
  const { path } = useLocation();
  const view = viewFor(path);
  const [, setTick] = useState(0);
  const [failed, setFailed] = useState<unknown>();
  const routes = view ? loaded.get(view) : undefined;

  useEffect(() => {
    if (!view || loaded.has(view)) return;
    let live = true;
    view.load().then((m) => { loaded.set(view, m.routes); if (live) setTick((t) => t + 1); }, (e: unknown) => live && setFailed(e));
    return () => { live = false; };
  }, [view]);

  useEffect(() => {
    const title = view?.label;
    document.title = title ? `${title} · ghl-bridge` : 'ghl-bridge';
  }, [view]);

  if (failed) return <ErrorBox error={failed} />;
  if (!view || !routes) return <p className="muted" aria-live="polite">Loading…</p>;
  for (const r of routes) {
    const params = matchPath(r.path, path);
    if (params) {
      const Page = r.component;
      return <Page params={params} />;
    }
  }
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no page at <code>{path}</code>.</p>
    </section>
  );
}
