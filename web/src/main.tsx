import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from './api/problem.ts';
import { loadSession } from './api/session.ts';
import { Layout } from './app/layout.tsx';
import { Outlet } from './app/outlet.tsx';
import { navigateToSignIn, useLocation } from './app/router.tsx';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 2_000,
      // a refusal (4xx) will not change by asking again; a network blip may
      retry: (n, e) => !(e instanceof ApiProblem && e.status < 500) && n < 2,
    },
  },
});

/** Checks the session once; pages render after, so no call starts without its CSRF token. */
function App() {
  const { path } = useLocation();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void loadSession().then((s) => {
      if (!s.session && window.location.pathname !== '/sign-in') navigateToSignIn(s.refusal === 'session-expired' ? s.refusal : undefined);
      setReady(true);
    });
  }, []);
  if (!ready) return <p className="muted" aria-live="polite">Loading…</p>;
  if (path === '/sign-in') return <main id="main" className="bare"><Outlet /></main>;
  return <Layout><Outlet /></Layout>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
