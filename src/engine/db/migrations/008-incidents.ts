/**
 * Failures you cannot miss (issue 12): recipes paused (by hand or by the auto-pause rule) and
 * connections whose credentials are refused, so their runs wait instead of dying; the history of
 * what was done to a run (dead-lettered, replayed with which version, dismissed and why); incidents
 * (one per rule and cause, opened, seen again, resolved) and a durable outbox of notifications,
 * one row per incident transition and channel.
 */
export const sql = `
create table recipe_pauses (
  recipe_id text primary key,
  paused_at timestamptz not null default now(),
  -- 'auto' (the auto-pause rule) or 'user'
  paused_by text not null,
  reason text not null
);

create table connection_health (
  connection_id text primary key,
  -- 'needs-reauth': refused credentials (invalid_grant, revoked app, a PIT or token refused)
  status text not null,
  reason text not null,
  since timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  failures int not null default 1
);

-- a dismissed dead letter keeps its row: status 'dismissed', why in dismissed_reason
alter table runs add column dismissed_reason text;

create table run_history (
  id bigserial primary key,
  run_id bigint not null references runs(id),
  at timestamptz not null default now(),
  -- 'dead-lettered' | 'replayed' | 'dismissed' | 'paused' | 'resumed'
  action text not null,
  -- replayed: { fromVersion, toVersion }; dismissed: { reason }; dead-lettered: { code, step, reason }
  detail jsonb not null default '{}',
  actor text
);
create index run_history_run on run_history (run_id, id);

create table incidents (
  id bigserial primary key,
  -- a rule of alerts.rules (deadLetter, failureRate, reauth, ...)
  rule text not null,
  -- what groups occurrences into one incident, e.g. 'recipe-x|MAPPING|step 2'
  key text not null,
  -- 'open' | 'resolved'
  status text not null default 'open',
  recipe_id text,
  connection_id text,
  location_id text,
  -- one line: what broke; and what to do about it
  cause text not null,
  advice text not null,
  count int not null default 1,
  first_run_id bigint,
  latest_run_id bigint,
  opened_at timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  resolved_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by text,
  muted_until timestamptz,
  next_reminder_at timestamptz,
  reminders int not null default 0,
  details jsonb not null default '{}'
);
create unique index incidents_open_key on incidents (rule, key) where status = 'open';
create index incidents_recent on incidents (status, last_seen desc);

create table notifications (
  id bigserial primary key,
  incident_id bigint references incidents(id),
  -- 'opened' | 'reminder' | 'resolved' | 'digest' | 'test'
  kind text not null,
  -- a channel name of alerts.channels
  channel text not null,
  -- 'pending' | 'sent' | 'failed' (gave up after its attempts)
  status text not null default 'pending',
  attempts int not null default 0,
  next_at timestamptz not null default now(),
  last_error text,
  -- what is sent, fixed when the row is made (digest: the incidents it lists)
  payload jsonb not null default '{}',
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index notifications_due on notifications (next_at, id) where status = 'pending';
create index notifications_incident on notifications (incident_id, id);
`;
