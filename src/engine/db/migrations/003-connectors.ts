/** Connector runtime: durable poll cursors, rejected webhook deliveries, full-sync progress. */
export const sql = `
create table poll_cursors (
  connection_id text not null,
  trigger_id text not null,
  cursor jsonb,
  polled_at timestamptz not null default now(),
  primary key (connection_id, trigger_id)
);

create table webhook_rejections (
  id bigserial primary key,
  connection_id text not null,
  status int not null,
  reason text not null,
  detail text,
  headers jsonb not null,
  body_sha256 text not null,
  body_bytes int not null,
  at timestamptz not null default now()
);
create index webhook_rejections_connection on webhook_rejections (connection_id, at);

-- deliveries whose events were all stored before: acknowledged (the sender may be retrying), never
-- enqueued again, and kept so that replays can be seen
create table webhook_replays (
  id bigserial primary key,
  connection_id text not null,
  external_ids jsonb not null,
  headers jsonb not null,
  at timestamptz not null default now()
);
create index webhook_replays_connection on webhook_replays (connection_id, at);

-- every contact state the engine wrote, for a while: a GHL webhook showing one of them is our echo,
-- even when it arrives after a later write of ours
create table ghl_writes (
  id bigserial primary key,
  ghl_id text not null,
  -- the contact as GHL answered the write (full), or what we sent over what we knew (partial)
  fields jsonb not null,
  full_state boolean not null default false,
  -- a state about to be sent (written before the call, so a webhook racing the answer is known)
  run_id bigint,
  step int,
  at timestamptz not null default now()
);
create index ghl_writes_ghl_id on ghl_writes (ghl_id, at);

-- the last state of each GHL contact seen by a webhook or the reconciliation (linked or not): the
-- same state seen again by the other path is not news
create table ghl_seen (
  ghl_id text primary key,
  fields jsonb not null,
  at timestamptz not null default now()
);

create table syncs (
  id bigserial primary key,
  schedule_id text,
  connection_id text not null,
  recipe_id text,
  status text not null,
  filter jsonb,
  records int not null default 0,
  ingested int not null default 0,
  matched int not null default 0,
  error text,
  started_at timestamptz not null default now(),
  -- progress is saved as the sync goes; a running sync whose progress stopped long ago has died
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
`;
