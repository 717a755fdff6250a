/** Core tables: connections, tokens, events, recipes, runs and their steps, ledger, audit. */
export const sql = `
create table connections (
  id text primary key,
  app text not null,
  name text not null,
  config jsonb not null default '{}'::jsonb,
  sealed_secret bytea,
  key_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table oauth_tokens (
  key text primary key,
  sealed bytea not null,
  key_id text not null,
  expires_at bigint not null,
  updated_at timestamptz not null default now()
);

create table events (
  id bigserial primary key,
  source text not null,
  external_id text not null,
  connection_id text,
  type text not null,
  record_id text,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  unique (source, external_id)
);

create table recipes (
  id text not null,
  version int not null,
  definition jsonb not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (id, version)
);

create table runs (
  id bigserial primary key,
  event_id bigint not null references events(id),
  recipe_id text not null,
  recipe_version int not null,
  record_key text,
  status text not null,
  attempts int not null default 0,
  dry_run boolean not null default false,
  claimed_at timestamptz,
  claimed_by text,
  plan jsonb,
  error jsonb,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  unique (event_id, recipe_id, dry_run)
);
create index runs_status on runs (status, recipe_id);

create table run_steps (
  run_id bigint not null references runs(id),
  step int not null,
  action text not null,
  status text not null,
  request jsonb,
  response jsonb,
  ghl_id text,
  error jsonb,
  started_at timestamptz,
  finished_at timestamptz,
  primary key (run_id, step)
);

create table ledger (
  connection_id text not null,
  source text not null,
  kind text not null,
  source_id text not null,
  ghl_id text not null,
  location_id text not null,
  fields_hash text,
  fields jsonb,
  updated_at timestamptz not null default now(),
  primary key (connection_id, source, kind, source_id)
);
create index ledger_ghl_id on ledger (ghl_id);

create table audit (
  id bigserial primary key,
  location_id text not null,
  contact_id text not null,
  run_id bigint,
  event_id bigint,
  recipe_id text,
  recipe_version int,
  field text not null,
  old_value jsonb,
  new_value jsonb,
  at timestamptz not null default now()
);
create index audit_contact on audit (contact_id, at);
`;
