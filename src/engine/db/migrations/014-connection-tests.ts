/**
 * The last test of each connection (the console's connections list shows it): whether the one
 * real read succeeded, its message (never a secret: the test's own safe text), and when.
 */
export const sql = `
create table connection_tests (
  connection_id text primary key,
  ok boolean not null,
  message text not null,
  tested_at timestamptz not null default now()
);
`;
