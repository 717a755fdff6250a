/**
 * The operator console's sign-in (issue 14): one row per browser session, keyed by the sha256 of
 * the secret in its HttpOnly cookie (a database reader cannot use a row), with the CSRF token its
 * mutations must carry, its expiry, when it was last seen and whether it was revoked (sign out);
 * and the one-time login links (`/login?token=…`), stored as hashes, used once, expiring.
 */
export const sql = `
create table console_sessions (
  id text primary key,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now(),
  revoked_at timestamptz,
  user_agent text
);
create index console_sessions_expires on console_sessions (expires_at);
create table console_login_tokens (
  token_hash text primary key,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index console_login_tokens_expires on console_login_tokens (expires_at);
`;
