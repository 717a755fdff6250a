/**
 * The shared rate budget (src/engine/governor/): one row per key (location or company) holding the
 * learned limits, the pause after a refusal, the pacing schedule and the daily count; the slots
 * (requests in flight or answered lately, one row each); and budget others spent, read from
 * `X-RateLimit-Remaining`. Times are epoch ms.
 */
export const sql = `
create table rate_budgets (
  key text primary key,
  max_requests int not null,
  interval_ms int not null,
  daily_limit int not null,
  learned boolean not null default false,
  blocked_until bigint not null default 0,
  tat double precision not null default 0,
  day text not null,
  daily_used int not null default 0
);

create table rate_slots (
  ticket bigserial primary key,
  key text not null,
  admitted_at bigint not null,
  answered_at bigint
);
create index rate_slots_key on rate_slots (key, answered_at);

create table rate_foreign (
  id bigserial primary key,
  key text not null,
  at bigint not null,
  n int not null
);
create index rate_foreign_key on rate_foreign (key, at);
`;
