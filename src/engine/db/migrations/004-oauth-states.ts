/**
 * OAuth connect (src/server/oauth): one row per `state` handed to a browser, stored as hashes of
 * the state and of the nonce kept in the browser's cookie; used once (`used_at`), expiring.
 */
export const sql = `
create table oauth_states (
  state_hash text primary key,
  nonce_hash text not null,
  redirect_uri text not null,
  expires_at bigint not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index oauth_states_expires on oauth_states (expires_at);
`;
