import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const specDir = resolve(root, '..', 'shared', 'ghl-openapi');
const PROSE = /"(description|summary|example|examples|externalDocs)"\s*:/;

describe('generated spec artefacts', () => {
  it.skipIf(!existsSync(specDir))('are exactly what the generator derives from the shared OpenAPI files', () => {
    const out = mkdtempSync(join(tmpdir(), 'ghl-spec-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/generate-spec.ts'), '--spec', specDir, '--out', out], { cwd: root, stdio: 'pipe' });
      for (const file of ['schemas.json', 'routes.ts', 'types.ts']) {
        expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(root, 'src/spec/generated', file), 'utf8'));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('carry none of the spec prose', () => {
    for (const file of ['schemas.json', 'routes.ts', 'types.ts']) {
      expect(PROSE.test(readFileSync(join(root, 'src/spec/generated', file), 'utf8')), file).toBe(false);
    }
  });
});
