/**
 * OAuth connect (src/server/oauth): one row per admin-issued connect link (`oauth_tickets`: the
 * hash of its ticket and the connection id it will fill, used once, expiring), and one row per
 * `state` handed to a browser, stored as hashes of the state and of the nonce kept in the
 * browser's cookie; used once (`used_at`), expiring, carrying the ticket's connection id.
 */
export const sql = `
create table oauth_tickets (
  ticket_hash text primary key,
  connection_id text,
  expires_at bigint not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index oauth_tickets_expires on oauth_tickets (expires_at);
create table oauth_states (
  state_hash text primary key,
  nonce_hash text not null,
  redirect_uri text not null,
  connection_id text,
  expires_at bigint not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index oauth_states_expires on oauth_states (expires_at);
`;
