/**
 * What the demo's banner offers for trying the `my-app` webhook by hand: an example payload that
 * `recipes/app-signup.yaml` turns into a contact (written once to `<dataDir>/examples/signup.json`,
 * kept when it exists, since people edit it), and a `curl` of it signed now with the connection's
 * Standard Webhooks secret. The signature covers the file's exact bytes and a timestamp, so the
 * curl is good for 5 minutes; `ghl-bridge webhook send` signs afresh each time.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardWebhookHeaders } from '../connectors/webhook/index.js';

/** The sign-up an app would send (the shape app-signup.yaml reads). */
export function exampleSignup(now: Date): Record<string, unknown> {
  return {
    type: 'user.created',
    timestamp: now.toISOString(),
    data: { id: 'usr_try_1', email: 'try.me@example.com', name: 'Try Me', phone: '+1 512 555 0142', plan: 'pro', company: 'Example Co', createdAt: now.toISOString() },
  };
}

export interface DemoWebhookExample {
  /** absolute path of the payload file */
  file: string;
  /** a curl that posts the file, signed now (valid 5 minutes) */
  curl: string;
}

/**
 * @example
 * const { file, curl } = writeDemoWebhookExample({ dataDir: './data', hookUrl: 'http://127.0.0.1:8787/hooks/my-app', secret: 'whsec_…' });
 */
export function writeDemoWebhookExample(o: { dataDir: string; hookUrl: string; secret: string; now?: Date; fileLabel?: string }): DemoWebhookExample {
  const now = o.now ?? new Date();
  const file = join(o.dataDir, 'examples', 'signup.json');
  if (!existsSync(file)) {
    mkdirSync(join(o.dataDir, 'examples'), { recursive: true });
    writeFileSync(file, `${JSON.stringify(exampleSignup(now), null, 2)}\n`);
  }
  // signed over the bytes curl will send (--data-binary keeps them as they are)
  const body = readFileSync(file, 'utf8');
  const headers = standardWebhookHeaders(o.secret, { id: `msg_demo_${Math.floor(now.getTime() / 1000)}`, timestamp: Math.floor(now.getTime() / 1000), body });
  const h = Object.entries(headers).map(([k, v]) => ` -H '${k}: ${v}'`).join('');
  return { file, curl: `curl -sS -X POST ${o.hookUrl} -H 'content-type: application/json'${h} --data-binary @${o.fileLabel ?? file}` };
}
