import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unprocessable } from '../../sandbox/errors.js';
import { evaluateRecipe } from '../recipes/evaluate.js';
import { recipeLocator } from '../recipes/locate.js';
import { parseRecipe } from '../recipes/index.js';
import { explainDeadLetter } from './explain.js';

const YAML = `id: signups
version: 1
trigger: { source: app, events: [user.created] }
connection: ghl-main
recordId: data.id
mapping:
  contact:
    email: { path: data.email, transforms: [email] }
actions:
  - type: upsertContact
  - type: note
    sourceId: { template: "bio-{{data.id}}" }
    body:
      path: data.bio
`;

const dir = mkdtempSync(join(tmpdir(), 'ghlb-explain-'));
writeFileSync(join(dir, 'signups.yaml'), YAML);
writeFileSync(join(dir, 'other.yaml'), YAML.replace('id: signups', 'id: other'));
writeFileSync(join(dir, 'broken.yaml'), ': not: yaml: [');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parsed = parseRecipe(YAML);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const recipe = parsed.recipe;
const run = (error: Parameters<typeof explainDeadLetter>[0]['error'], version = 1) => ({ id: 7, recipeId: 'signups', recipeVersion: version, attempts: 5, error });

describe('explainDeadLetter', () => {
  it('MAPPING: names the recipe field, the event path that had no value and its line in the recipe file', () => {
    const evaluation = evaluateRecipe(recipe, { data: { id: 'u1', email: 'a@b.test' } }, 'user.created');
    expect(evaluation.errors).toEqual([{ field: 'actions[1].body', message: 'required: no value at "data.bio"' }]);
    const e = explainDeadLetter(run({ reason: 'x', code: 'MAPPING', retryable: false, details: evaluation.errors }), { recipe, locate: recipeLocator(dir) });
    // `body:` is line 13 of the file (the key of the path, not its block below)
    expect(e.cause).toBe(`actions[1].body had no value: the event has nothing at "data.bio" (${join(dir, 'signups.yaml')} line 13)`);
    expect(e.fix).toContain('save the recipe as version 2');
    expect(e.command).toBe('ghl-bridge dlq replay --recipe signups');
    // a newer file: the line is of the file as it is now, and says so
    const newer = explainDeadLetter(run({ reason: 'x', code: 'MAPPING', retryable: false, details: evaluation.errors }, 0), { recipe, locate: recipeLocator(dir) });
    expect(newer.cause).toContain('which now holds version 1; the run used 0');
    // no recipes folder: no line, still the paths
    expect(explainDeadLetter(run({ reason: 'x', code: 'MAPPING', retryable: false, details: evaluation.errors }), { recipe, locate: recipeLocator(join(dir, 'nope')) }).cause).toBe('actions[1].body had no value: the event has nothing at "data.bio"');
  });

  it('MAPPING: a value that cannot be used, and more than one problem', () => {
    const details = [{ field: 'mapping.contact.email', message: 'not an email address: "nope"' }, { field: 'recordId', message: 'required: no value at "data.id"' }];
    const e = explainDeadLetter(run({ reason: 'x', code: 'MAPPING', retryable: false, details }), { recipe, locate: recipeLocator(dir) });
    expect(e.cause).toBe(`mapping.contact.email: not an email address: "nope" (${join(dir, 'signups.yaml')} line 8) (and 1 more: recordId)`);
  });

  it('GHL 422: the field HighLevel refused, from its error body', () => {
    const body = unprocessable(['email must be an email', 'property colour should not exist']).body;
    const e = explainDeadLetter(run({ reason: 'HighLevel answered 422', code: 'VALIDATION', status: 422, retryable: false, details: body }));
    expect(e.cause).toBe('HighLevel refused the fields "email", "colour" (422): email must be an email; property colour should not exist');
    expect(e.fix).toContain('writes to email');
    expect(e.command).toBe('ghl-bridge dlq replay --recipe signups');
  });

  it('401/403: the connection to re-authorize, with the command of its auth kind', () => {
    const refused = { reason: 'HighLevel answered 401: Invalid JWT', code: 'AUTHENTICATION', status: 401, retryable: false };
    const oauth = explainDeadLetter(run(refused), { recipe, connection: { id: 'ghl-main', config: { locationId: 'loc1', auth: 'oauth' } } });
    expect(oauth).toMatchObject({ cause: expect.stringContaining('connection ghl-main (401)'), command: 'ghl-bridge connect ghl --connection ghl-main' });
    expect(oauth.fix).toContain('ghl-bridge dlq replay --error-code AUTHENTICATION');
    const pit = explainDeadLetter(run({ ...refused, code: 'FORBIDDEN', status: 403 }), { recipe, connection: { id: 'ghl-main', config: { locationId: 'loc1', auth: 'pit' } } });
    expect(pit.command).toBe(`ghl-bridge connections remove ghl-main && ghl-bridge connections add --app ghl-location --id ghl-main --name ghl-main --config '{"locationId":"loc1","auth":"pit"}' --secret pit=<new token>`);
    expect(pit.fix).toContain('Private Integration Token');
  });

  it('404, GHL unavailable, the source app, and an error without a code', () => {
    expect(explainDeadLetter(run({ reason: 'HighLevel answered 404', code: 'NOT_FOUND', status: 404, retryable: false }))).toMatchObject({ cause: expect.stringContaining('404'), command: 'ghl-bridge dlq dismiss 7 --reason "deleted in GHL"' });
    for (const code of ['NETWORK', 'SERVER', 'RATE_LIMIT']) {
      expect(explainDeadLetter(run({ reason: 'no answer', code, retryable: true }))).toMatchObject({ cause: expect.stringMatching(new RegExp(`^HighLevel was unavailable \\(${code} after 5 attempts\\)`)), fix: expect.stringContaining('replay later'), command: 'ghl-bridge dlq replay 7' });
    }
    expect(explainDeadLetter(run({ reason: 'recruitee.addNote answered 400', code: 'APP', status: 400, retryable: false })).cause).toBe('the source app action failed: recruitee.addNote answered 400');
    expect(explainDeadLetter(run({ reason: 'recipe signups v1 is gone', retryable: false }))).toEqual({ cause: 'recipe signups v1 is gone', fix: 'Fix what the reason names, then replay.', command: 'ghl-bridge dlq replay 7' });
  });
});
