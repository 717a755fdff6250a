/**
 * The "plain SDK script" baseline, run as its own process by bench/baselines.ts: for each record,
 * the usual pattern with the official SDK (`@gohighlevel/api-client`): search the duplicate
 * contact by email, then update it or create it; `concurrency` records at once. Prints one JSON
 * line: { records, seconds, startedAt, endedAt, created, updated, cpuSeconds } (its own utime + stime
 * over the timed records).
 *
 * node --import tsx bench/sdk-script.ts '{"url":"…","pit":"…","locationId":"…","records":2000,"warmup":100,"concurrency":4,"key":"sdk"}'
 */
import { HighLevel } from '@gohighlevel/api-client';

interface Args {
  url: string;
  pit: string;
  locationId: string;
  records: number;
  warmup: number;
  concurrency: number;
  key: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const ghl = new HighLevel({ privateIntegrationToken: args.pit, logLevel: 'none' });
ghl.getHttpClient().defaults.baseURL = args.url;

let created = 0;
let updated = 0;

async function syncRecord(key: string, i: number): Promise<void> {
  const email = `${key}-${i}@bench.example`;
  const firstName = 'Bench';
  const lastName = `User${i}`;
  const found = (await ghl.contacts.getDuplicateContact({ locationId: args.locationId, email })) as { contact?: { id: string } | null };
  if (found.contact) {
    await ghl.contacts.updateContact({ contactId: found.contact.id }, { firstName, lastName });
    updated++;
  } else {
    await ghl.contacts.createContact({ locationId: args.locationId, email, firstName, lastName });
    created++;
  }
}

async function all(key: string, n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: args.concurrency }, async () => {
      while (next < n) await syncRecord(key, next++);
    }),
  );
}

await all(`${args.key}-warm`, args.warmup);
created = 0;
updated = 0;
const startedAt = Date.now();
const cpu0 = process.cpuUsage();
await all(args.key, args.records);
const cpu = process.cpuUsage(cpu0);
const endedAt = Date.now();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ records: args.records, seconds: (endedAt - startedAt) / 1000, startedAt, endedAt, created, updated, cpuSeconds })}\n`);
