/**
 * A ghl-bridge project as a user sets it up: `ghl-bridge init` in a temp dir, the config pointed
 * at the test's sandbox, a recipes folder with the test's recipes (one of them broken on
 * purpose), then connections added through `ghl-bridge connections add`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT, editConfig, runCli } from './harness.js';

export const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const ERP_KEY = 'erp-cli-key-0123456789abcdef';
/** A PIT the sandbox does not know yet: runs of `cli-vip` die with a 401 until it is registered. */
export const LATE_PIT = 'pit-cli-late-0123456789abcdef0123';

const SIGNUP = `id: cli-signup
version: 1
name: CLI test sign-ups
trigger: { source: app, events: [user.created] }
connection: ghl-main
recordId: data.id
mapping:
  contact:
    email: { path: data.email, transforms: [email] }
    firstName: { path: data.name, transforms: [firstName] }
    lastName: { path: data.name, transforms: [lastName] }
    source: { value: CLI test }
actions:
  - type: upsertContact
`;

const VIP = SIGNUP.replace('id: cli-signup', 'id: cli-vip').replace('[user.created]', '[user.vip]').replace('connection: ghl-main', 'connection: ghl-second').replace('CLI test sign-ups', 'CLI test VIPs');

/** Invalid on purpose: `start` lists it and loads the others. */
const BROKEN = `id: cli-broken
version: 1
trigger: { source: app, events: [user.deleted] }
connection: ghl-main
recordId: data.id
mapping:
  contact:
    email: { path: data.email, transforms: [emial] }
actions:
  - type: upsertContact
`;

export interface Project {
  dir: string;
  configFile: string;
  dataDir: string;
  token: string;
  /** `--config <file>` for every command */
  cfg: string[];
  /** `--url <server> --config <file>` once the server is up */
  at(url: string): string[];
}

/** `init` (the token is printed once, only by the first one), then the config edited for the test. */
export async function createProject(o: { sandboxUrl: string; prefix: string }): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), o.prefix));
  const configFile = join(dir, 'ghl-bridge.yaml');
  const dataDir = join(dir, 'data');
  const recipes = join(dir, 'recipes');
  mkdirSync(recipes);
  writeFileSync(join(recipes, 'cli-signup.yaml'), SIGNUP);
  writeFileSync(join(recipes, 'cli-vip.yaml'), VIP);
  writeFileSync(join(recipes, 'cli-broken.yaml'), BROKEN);
  copyFileSync(join(ROOT, 'recipes/erp-customers.yaml'), join(recipes, 'erp-customers.yaml'));

  const first = await runCli(['init', '--config', configFile, '--data', dataDir], { cwd: dir });
  expect(first.code).toBe(0);
  const token = /^\s+(gbat_\S+)$/m.exec(first.stdout)?.[1];
  expect(token).toBe(readFileSync(join(dataDir, 'admin.token'), 'utf8').trim());
  expect(first.stdout).toContain('wrote ');
  // a second init keeps everything and never shows the token again
  const second = await runCli(['init', '--config', configFile, '--data', dataDir], { cwd: dir });
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('kept ');
  expect(second.stdout).not.toContain(token!);

  editConfig(configFile, [
    [/^ {2}port: 8787$/m, '  port: 0'],
    [/^ {2}baseUrl: https:\/\/services\.leadconnectorhq\.com$/m, `  baseUrl: ${o.sandboxUrl}`],
    [/^ {2}dir: \.\/recipes$/m, `  dir: ${recipes}`],
    [/^ {2}level: info$/m, '  level: warn'],
    // a short lease: lapsed claims are reaped, and held connections tried again, every few seconds
    [/^# workers:\n {2}# concurrency: 16/m, 'workers:\n  leaseSeconds: 6\n  # concurrency: 16'],
  ]);
  const cfg = ['--config', configFile];
  return { dir, configFile, dataDir, token: token!, cfg, at: (url) => ['--url', url, ...cfg] };
}

/** The connections the recipes name, through `connections add` (GHL by PIT, your app, the ERP). */
export async function addConnections(p: Project, url: string, o: { locationId: string; pit: string; erpUrl: string }): Promise<void> {
  const add = async (...args: string[]) => {
    const r = await runCli(['connections', 'add', '--url', url, '--config-file', p.configFile, ...args], { cwd: p.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  };
  await add('--app', 'ghl-location', '--name', 'Sandbox location', '--id', 'ghl-main', '--config', JSON.stringify({ locationId: o.locationId, auth: 'pit' }), '--secret', `pit=${o.pit}`);
  await add('--app', 'ghl-location', '--name', 'Second token', '--id', 'ghl-second', '--config', JSON.stringify({ locationId: o.locationId, auth: 'pit' }), '--secret', `pit=${LATE_PIT}`);
  await add('--app', 'webhook', '--name', 'Our app', '--id', 'my-app', '--config', JSON.stringify({ source: 'app' }), '--secret', `signingSecret=${SIGNING_SECRET}`);
  await add('--app', 'erp', '--name', 'ERP', '--id', 'erp-main', '--config', JSON.stringify({ baseUrl: o.erpUrl, pageSize: 4 }), '--secret', `apiKey=${ERP_KEY}`);
}
