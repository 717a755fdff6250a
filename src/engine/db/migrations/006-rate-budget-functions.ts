/**
 * The shared rate budget's rules as functions (src/engine/governor/), so that `acquire`, `observe`
 * and `snapshot` each cost one statement and one round trip instead of a transaction of five or
 * more. They follow `MemoryRateBudgetStore` (src/ghl/governor/memory-store.ts) rule for rule over
 * the tables of migration 002; times are epoch ms, passed as double precision so fractional times
 * are rounded exactly where the store did before (slot times floored, answer times ceiled).
 *
 * `acquire` and `observe` lock the key's row first (creating it with the defaults if missing).
 * Under READ COMMITTED every later statement of the function takes a snapshot after that lock, so
 * it sees what the previous holder committed: acquirers of one key, from any process, take turns
 * and each counts the slots of those before it.
 */

/**
 * migrate.ts cuts a migration at every `;` that ends a line, and a PL/pgSQL body is full of them:
 * each gets an empty comment after it so that the function reaches the database in one piece.
 */
const plpgsql = (head: string, body: string): string => `create function ${head} language plpgsql as $$\n${body.trim().replace(/;[ \t]*$/gm, '; --')}\n$$`;

/** The UTC day of `t`, `YYYY-MM-DD` (JavaScript's `new Date(t).toISOString().slice(0, 10)`). */
const day = `create function ghl_bridge_rate_day(t double precision) returns text language sql immutable as $$
  select to_char((date '1970-01-01' + floor(t / 86400000)::int)::timestamp, 'YYYY-MM-DD')
$$`;

/**
 * One key's window ending at `p_t`: slots in flight, answered after `p_t − p_interval_ms`, and
 * spends of others then, nothing at or before `p_horizon`; `oldest` is the earliest of those answers
 * and spends. A slot admitted `p_ttl` before `p_now` without an answer counts as answered then (its
 * worker died). `p_prune` forgets what is past the horizon, only under the key's row lock.
 */
const window = plpgsql(
  `ghl_bridge_rate_window(p_key text, p_t double precision, p_interval_ms double precision, p_horizon double precision, p_now double precision,
  p_ttl double precision, p_prune boolean, out in_flight bigint, out answered bigint, out foreign_n bigint, out oldest bigint)`,
  `
declare
  bound bigint := floor(greatest(p_t - p_interval_ms, p_horizon));
  horizon bigint := floor(p_horizon);
  now_ms bigint := floor(p_now);
  ttl bigint := floor(p_ttl);
  oldest_foreign bigint;
begin
  if p_prune then
    delete from rate_slots s where s.key = p_key
      and (case when s.answered_at is not null then s.answered_at when s.admitted_at <= now_ms - ttl then s.admitted_at + ttl end) <= horizon;
    delete from rate_foreign f where f.key = p_key and f.at <= horizon;
  end if;
  select count(*) filter (where e is null), count(*) filter (where e > bound), min(e) filter (where e > bound)
    into in_flight, answered, oldest
    from (select case when s.answered_at is not null then s.answered_at when s.admitted_at <= now_ms - ttl then s.admitted_at + ttl end as e
          from rate_slots s where s.key = p_key) effective;
  select coalesce(sum(f.n), 0), min(f.at) into foreign_n, oldest_foreign from rate_foreign f where f.key = p_key and f.at > bound;
  -- least ignores nulls: null only when neither exists
  oldest := least(oldest, oldest_foreign);
end
`,
);

/** Takes one slot of `p_key` at `p_now` (`granted`, `ticket`) or says when to come back (`retry_at`, `scope`). */
const acquire = plpgsql(
  `ghl_bridge_rate_acquire(p_key text, p_now double precision, p_max int, p_interval_ms int, p_daily int, p_pace boolean, p_ttl double precision,
  out granted boolean, out ticket bigint, out retry_at double precision, out scope text)`,
  `
declare
  today text := ghl_bridge_rate_day(p_now);
  b rate_budgets%rowtype;
  w record;
  used bigint;
  spacing double precision;
begin
  insert into rate_budgets (key, max_requests, interval_ms, daily_limit, day) values (p_key, p_max, p_interval_ms, p_daily, today) on conflict (key) do nothing;
  select * into b from rate_budgets r where r.key = p_key for update;
  -- a new UTC day starts the daily count again
  if today collate "C" > b.day collate "C" then
    b.day := today;
    b.daily_used := 0;
    update rate_budgets r set day = b.day, daily_used = 0 where r.key = p_key;
  end if;
  select * into w from ghl_bridge_rate_window(p_key, p_now, b.interval_ms, p_now - 2 * b.interval_ms::double precision, p_now, p_ttl, true);
  granted := false;
  scope := 'burst';
  if b.daily_used >= b.daily_limit then
    retry_at := (floor(p_now / 86400000) + 1) * 86400000;
    scope := 'daily';
    return;
  end if;
  if p_now < b.blocked_until then
    retry_at := b.blocked_until;
    return;
  end if;
  -- the first answer teaches the real limits: until it comes, one request at a time; it comes
  -- within a round trip, so ask again soon (a wait of a whole interval would stall the lane)
  if not b.learned and w.in_flight > 0 then
    retry_at := p_now + least(b.interval_ms, 250);
    return;
  end if;
  used := w.in_flight + w.answered + w.foreign_n;
  if used >= b.max_requests then
    retry_at := coalesce(w.oldest, p_now) + b.interval_ms;
    return;
  end if;
  -- past half the window, pace: one request per interval/max (one step of slack absorbs late timers)
  spacing := b.interval_ms::double precision / b.max_requests;
  if p_pace and used >= ceil(b.max_requests / 2.0) and p_now < b.tat - spacing then
    retry_at := b.tat - spacing;
    return;
  end if;
  update rate_budgets r set tat = greatest(b.tat, p_now) + spacing, daily_used = b.daily_used + 1 where r.key = p_key;
  insert into rate_slots (key, admitted_at) values (p_key, floor(p_now)) returning rate_slots.ticket into ticket;
  granted := true;
  scope := null;
end
`,
);

/**
 * What the answer observed at `p_at` (to a request admitted at `p_sent_at`) teaches `p_key`:
 * limits (0 or null teach nothing), the daily count, the pause after a refusal, and the budget
 * others spent (`X-RateLimit-Remaining` below what we know of at the admission).
 */
const observe = plpgsql(
  `ghl_bridge_rate_observe(p_key text, p_at double precision, p_sent_at double precision, p_max int, p_interval_ms int, p_daily int,
  p_remaining int, p_daily_remaining int, p_refused boolean, p_retry_after_ms double precision,
  p_default_max int, p_default_interval_ms int, p_default_daily int, p_ttl double precision) returns void`,
  `
declare
  today text := ghl_bridge_rate_day(p_at);
  b rate_budgets%rowtype;
  interval_before int;
  w record;
  deficit bigint;
begin
  insert into rate_budgets (key, max_requests, interval_ms, daily_limit, day) values (p_key, p_default_max, p_default_interval_ms, p_default_daily, today)
    on conflict (key) do nothing;
  select * into b from rate_budgets r where r.key = p_key for update;
  if today collate "C" > b.day collate "C" then
    b.day := today;
    b.daily_used := 0;
  end if;
  interval_before := b.interval_ms;
  if p_max <> 0 then b.max_requests := p_max; end if;
  if p_interval_ms <> 0 then b.interval_ms := p_interval_ms; end if;
  if p_daily <> 0 then b.daily_limit := p_daily; end if;
  -- an answer of an earlier day does not spend today's budget
  if p_daily_remaining is not null and today = b.day then
    b.daily_used := greatest(b.daily_used, b.daily_limit - p_daily_remaining);
  end if;
  if p_refused then
    b.blocked_until := greatest(b.blocked_until, ceil(p_at + coalesce(p_retry_after_ms, b.interval_ms)));
  end if;
  if p_remaining is not null then
    -- pruned as of the answer with the interval known before it, counted with the one it taught;
    -- HighLevel counted the request no earlier than its admission, so the window ends there
    select * into w from ghl_bridge_rate_window(p_key, coalesce(p_sent_at, p_at), b.interval_ms, p_at - 2 * interval_before::double precision, p_at, p_ttl, true);
    deficit := b.max_requests - p_remaining - (w.in_flight + w.answered + w.foreign_n);
    if deficit > 0 then
      insert into rate_foreign (key, at, n) values (p_key, ceil(p_at), deficit);
    end if;
  end if;
  update rate_budgets r set max_requests = b.max_requests, interval_ms = b.interval_ms, daily_limit = b.daily_limit, learned = true,
    blocked_until = b.blocked_until, day = b.day, daily_used = b.daily_used
    where r.key = p_key;
end
`,
);

/** `p_key`'s budget at `p_now` as `RateBudgetStore.snapshot` answers it; reads only (no lock, no row created, nothing pruned). */
const snapshot = plpgsql(
  `ghl_bridge_rate_snapshot(p_key text, p_now double precision, p_max int, p_interval_ms int, p_daily int, p_ttl double precision,
  out limit_max int, out limit_interval_ms int, out limit_daily int, out is_learned boolean, out in_window bigint, out budget_day text,
  out used_today int, out paused_until bigint)`,
  `
declare
  today text := ghl_bridge_rate_day(p_now);
  b rate_budgets%rowtype;
  w record;
begin
  select * into b from rate_budgets r where r.key = p_key;
  if not found then
    b.max_requests := p_max;
    b.interval_ms := p_interval_ms;
    b.daily_limit := p_daily;
    b.learned := false;
    b.blocked_until := 0;
    b.day := today;
    b.daily_used := 0;
  end if;
  if today collate "C" > b.day collate "C" then
    b.day := today;
    b.daily_used := 0;
  end if;
  select * into w from ghl_bridge_rate_window(p_key, p_now, b.interval_ms, p_now - 2 * b.interval_ms::double precision, p_now, p_ttl, false);
  limit_max := b.max_requests;
  limit_interval_ms := b.interval_ms;
  limit_daily := b.daily_limit;
  is_learned := b.learned;
  in_window := w.in_flight + w.answered + w.foreign_n;
  budget_day := b.day;
  used_today := b.daily_used;
  paused_until := b.blocked_until;
end
`,
);

export const sql = `${[day, window, acquire, observe, snapshot].join(';\n\n')};\n`;
