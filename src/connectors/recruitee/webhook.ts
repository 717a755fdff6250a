/**
 * Recruitee webhooks: the `{"test":true}` probe (answered 200 before any signature check, since
 * Recruitee sends it before the secret can be stored), `X-Recruitee-Signature` verification, and the
 * envelope `{id, event_type, event_subtype, attempt_count, created_at, payload}` → engine events.
 *
 * Webhook candidates are thin (no placements, tags…), so by default the candidate is re-read with
 * `GET /candidates/{id}`: the payload then holds the same values a poll would, and created/updated
 * events take the poll's dedupe key (`candidate:<id>:<updated_at>`), so one change delivered by
 * both paths is ingested once. Other events are keyed by the envelope `id` (Recruitee's retries
 * repeat it).
 */
import { WebhookPayloadError, type SourceEvent, type WebhookSpec } from '../types.js';
import { RecruiteeApiError } from './client.js';
import type { RecruiteeConn } from './connection.js';
import { candidateStateId, createdNoteKey, indexReferences, normalizeCandidate, toStage } from './normalize.js';
import type { Candidate, CandidateEvent, RawCandidate, RecruiteeEventType, Stage } from './schemas.js';

/** A parsed, checked envelope. */
export interface Envelope {
  id: number | string;
  eventType: string;
  eventSubtype: string | null;
  attempt: number | null;
  createdAt: string | null;
  payload: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** `{"test": true}` (and the UI's "Test payload" bodies, which carry `test` too). */
export function isRecruiteeProbe(body: unknown): boolean {
  return isObject(body) && body.test === true;
}

/**
 * Checks the envelope; throws `WebhookPayloadError` naming the field.
 *
 * @example
 * readEnvelope({ id: 1, event_type: 'candidate_moved', event_subtype: 'stage_changed', payload: { … } });
 */
export function readEnvelope(body: unknown): Envelope {
  if (!isObject(body)) throw new WebhookPayloadError('body', `expected a JSON object, got ${Array.isArray(body) ? 'a list' : body === null ? 'null' : typeof body}`);
  const eventType = str(body.event_type);
  if (!eventType) throw new WebhookPayloadError('event_type', 'required: a non-empty string');
  const id = body.id;
  if (!((typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.trim() !== ''))) throw new WebhookPayloadError('id', 'required: the delivery id (number or string)');
  if (body.event_subtype !== undefined && body.event_subtype !== null && typeof body.event_subtype !== 'string') throw new WebhookPayloadError('event_subtype', 'expected a string');
  if (!isObject(body.payload)) throw new WebhookPayloadError('payload', 'required: an object');
  return {
    id,
    eventType,
    eventSubtype: str(body.event_subtype),
    attempt: typeof body.attempt_count === 'number' ? body.attempt_count : null,
    createdAt: str(body.created_at),
    payload: body.payload,
  };
}

/** The engine event type of an envelope (`type/subtype` first, then `type`), or null: ignored. */
export function engineEventType(conn: Pick<RecruiteeConn, 'eventTypes'>, env: Pick<Envelope, 'eventType' | 'eventSubtype'>): RecruiteeEventType | null {
  return (env.eventSubtype ? conn.eventTypes[`${env.eventType}/${env.eventSubtype}`] : undefined) ?? conn.eventTypes[env.eventType] ?? null;
}

function readCandidate(payload: Record<string, unknown>): RawCandidate {
  const c = payload.candidate;
  if (!isObject(c)) throw new WebhookPayloadError('payload.candidate', 'required: an object');
  let id = c.id;
  if (typeof id === 'string' && /^\d+$/.test(id)) id = Number(id);
  if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) throw new WebhookPayloadError('payload.candidate.id', 'required: a positive integer');
  return { ...c, id } as RawCandidate;
}

function readOffer(payload: Record<string, unknown>): { id: number; title: string | null } | null {
  const offers = Array.isArray(payload.offers) ? payload.offers : [];
  const o = isObject(payload.offer) ? payload.offer : isObject(offers[0]) ? offers[0] : null;
  return o && typeof o.id === 'number' ? { id: o.id, title: str(o.title) } : null;
}

async function fullCandidate(conn: RecruiteeConn, thin: RawCandidate, company: string | null): Promise<Candidate | null> {
  try {
    const { candidate, references } = await conn.client.candidates.get(thin.id);
    return normalizeCandidate(candidate, { references: indexReferences(references), company });
  } catch (e) {
    // gone since (deleted, merged): the webhook's own copy is all there is
    if (e instanceof RecruiteeApiError && e.status === 404) return null;
    throw e; // the delivery fails (not 200) and Recruitee retries it later
  }
}

function summarize(type: RecruiteeEventType, c: Candidate, from: Stage | null, to: Stage | null, offer: { title: string | null } | null, reason: string | null): string {
  const who = c.name ?? `Candidate ${c.id}`;
  const job = offer?.title ? ` (${offer.title})` : '';
  switch (type) {
    case 'candidate.created':
      return `New candidate ${who}${c.source ? ` from ${c.source}` : ''}${offer?.title ? ` for ${offer.title}` : ''}`;
    case 'candidate.updated':
      return `Candidate ${who} updated in Recruitee`;
    case 'candidate.stage_changed':
      return `Moved from ${from?.name ?? 'no stage'} to ${to?.name ?? 'no stage'}${job}`;
    case 'candidate.disqualified':
      return `Disqualified${offer?.title ? ` from ${offer.title}` : ''}${reason ? `: ${reason}` : ''}`;
    case 'candidate.requalified':
      return `Requalified${offer?.title ? ` for ${offer.title}` : ''}`;
    case 'candidate.deleted':
      return `Candidate ${who} deleted in Recruitee`;
    default:
      return `HighLevel view requested for ${who}`;
  }
}

function stagesOf(env: Envelope): { details: Record<string, unknown> | null; fromStage: Stage | null; toStage: Stage | null } {
  const details = isObject(env.payload.details) ? env.payload.details : null;
  return { details, fromStage: toStage(isObject(details?.from_stage) ? details.from_stage : null), toStage: toStage(isObject(details?.to_stage) ? details.to_stage : null) };
}

function companyNameOf(conn: Pick<RecruiteeConn, 'config'>, env: Envelope): string | null {
  const rawCompany = isObject(env.payload.company) ? env.payload.company : null;
  return str(rawCompany?.name) ?? conn.config.companyName ?? null;
}

/**
 * The engine events of one verified delivery (none for event types the connection does not map).
 *
 * @example
 * const events = await parseRecruiteeWebhook(conn, JSON.parse(rawBody));
 * // [{ externalId: 'webhook:31000001', type: 'candidate.stage_changed', payload: { candidate, fromStage, toStage, summary, … } }]
 */
export async function parseRecruiteeWebhook(conn: RecruiteeConn, body: unknown): Promise<SourceEvent[]> {
  const env = readEnvelope(body);
  const type = engineEventType(conn, env);
  if (!type) return [];
  const thin = readCandidate(env.payload);
  if (type === 'candidate.stage_changed' && !stagesOf(env).toStage) throw new WebhookPayloadError('payload.details.to_stage', 'required on a stage change: {id, name, category}');
  const refetched = conn.config.refetch && type !== 'candidate.deleted' ? await fullCandidate(conn, thin, companyNameOf(conn, env)) : null;
  return [recruiteeWebhookEvent(conn, env, type, refetched)];
}

/**
 * The event of one checked envelope, given the candidate as re-read (`null`: not re-read, the
 * webhook's thin copy is used). The synchronous part of `parseRecruiteeWebhook` (catalog samples
 * use it with the fake's detail answer).
 *
 * @example
 * recruiteeWebhookEvent(conn, readEnvelope(body), 'candidate.created', normalizeCandidate(detail));
 */
export function recruiteeWebhookEvent(conn: Pick<RecruiteeConn, 'config'>, env: Envelope, type: RecruiteeEventType, refetched: Candidate | null): SourceEvent {
  const thin = readCandidate(env.payload);
  const { details, fromStage, toStage: toStageValue } = stagesOf(env);
  if (type === 'candidate.stage_changed' && !toStageValue) throw new WebhookPayloadError('payload.details.to_stage', 'required on a stage change: {id, name, category}');

  const rawCompany = isObject(env.payload.company) ? env.payload.company : null;
  const companyName = companyNameOf(conn, env);
  const company = rawCompany || companyName ? { id: (rawCompany?.id as number | string | undefined) ?? conn.config.companyId, name: companyName } : null;

  const candidate = refetched ?? normalizeCandidate(thin, { company: companyName });
  if (!refetched) {
    // what the event itself says, when the full record was not read
    if (type === 'candidate.stage_changed' && toStageValue) candidate.stage = toStageValue;
    if (type === 'candidate.disqualified') candidate.status = 'disqualified';
    if (type === 'candidate.deleted') candidate.status = 'deleted';
  }
  const offer = readOffer(env.payload) ?? candidate.offer;
  const reason = str(details?.disqualify_reason) ?? candidate.disqualifyReason;
  const byState = (type === 'candidate.created' || type === 'candidate.updated') && candidate.updatedAt !== null;
  const key = byState ? candidateStateId(candidate) : `webhook:${env.id}`;
  const payload: CandidateEvent = {
    candidate,
    company,
    stage: type === 'candidate.stage_changed' ? toStageValue : candidate.stage,
    fromStage,
    toStage: toStageValue,
    offer,
    summary: summarize(type, candidate, fromStage, toStageValue, offer, reason),
    origin: 'webhook',
    key,
    // a new candidate is noted once per candidate (webhook or poll); a plain update is not noted
    noteKey: type === 'candidate.created' ? createdNoteKey(candidate.id) : type === 'candidate.updated' ? null : key,
    event: { id: env.id, type: env.eventType, subtype: env.eventSubtype, attempt: env.attempt, createdAt: env.createdAt },
    details,
  };
  return { externalId: key, type, payload: payload as unknown as Record<string, unknown> };
}

/** The connector's `webhook` spec. */
export const recruiteeWebhook: WebhookSpec<RecruiteeConn> = {
  verify: (conn, delivery) => conn.verifySignature(delivery),
  isProbe: isRecruiteeProbe,
  parse: (conn, body) => parseRecruiteeWebhook(conn, body),
  // Recruitee counts anything but exactly 200 as a failure
  successStatus: 200,
};
