import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { loadSession, signOut } from '../api/session.ts';
import { Link, navigate, navigateToSignIn, useLocation } from './router.tsx';
import { VIEWS, viewFor } from './views.ts';

type Theme = 'light' | 'dark' | 'system';

function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('ghlb-theme') as Theme | null) ?? 'system');
  useEffect(() => {
    localStorage.setItem('ghlb-theme', theme);
    if (theme === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
  }, [theme]);
  return [theme, setTheme];
}

/**
 * Watches the session: on every page change, every minute and when the tab regains focus, so an
 * expired or revoked session goes to sign-in (and back here after) even on a page that is idle.
 */
function useSessionWatch(path: string): void {
  const session = useQuery({ queryKey: ['session', path], queryFn: loadSession, refetchInterval: 60_000, refetchOnWindowFocus: true, staleTime: 0, gcTime: 0, retry: false });
  useEffect(() => {
    if (session.data && !session.data.session) navigateToSignIn(session.data.refusal === 'session-expired' ? session.data.refusal : undefined);
  }, [session.data]);
}

/** The frame of every signed-in page: a skip link, the navigation, the theme switch, sign out. */
export function Layout({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  const current = viewFor(path);
  const [theme, setTheme] = useTheme();
  useSessionWatch(path);
  const queries = useQueryClient();
  const out = async () => {
    await signOut();
    queries.clear();
    // what this tab kept (unsaved recipe drafts) is not for whoever signs in next
    sessionStorage.clear();
    navigate('/sign-in', { force: true });
  };
  return (
    <div className="shell">
      <a className="skip" href="#main">Skip to content</a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">ghl-bridge</div>
        <ul>
          {VIEWS.filter((v) => v.nav).map((v) => (
            <li key={v.prefix}>
              <Link to={v.prefix} aria-current={current === v ? 'page' : undefined}>{v.label}</Link>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <label className="theme">
            Theme
            <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <button type="button" className="btn btn-quiet" onClick={() => void out()}>Sign out</button>
        </div>
      </nav>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
