import { DeliveryError, fetchFailure, redact } from './channel.js';

/**
 * POSTs a JSON body with a timeout; a non-2xx answer or no answer is a `DeliveryError` naming
 * `what` and the status (never the URL: a Slack URL is its own token).
 *
 * @example
 * await postJson('Slack webhook', url, JSON.stringify(body), {}, 15_000);
 */
export async function postJson(what: string, url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'ghl-bridge-notifier', ...headers }, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (e) {
    throw new DeliveryError(`${what}: ${fetchFailure(e, timeoutMs)}`);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 200 && res.status < 300) return;
  // Slack says why in a word (invalid_payload, no_service); longer bodies are not repeated
  const reason = /^[A-Za-z0-9_ .:-]{1,80}$/.test(text.trim()) ? `: ${redact(text.trim(), [url])}` : '';
  throw new DeliveryError(`${what} answered ${res.status}${reason}`);
}
