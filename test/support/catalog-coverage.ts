import { ALL_CONNECTORS, buildCatalog } from '../../src/connectors/index.js';

/**
 * Catalog coverage for one app's end-to-end tests: each test marks the entries it executed for
 * real (an action's `run` against the fake or sandbox, a webhook through the ingress, a poll
 * through the runtime), and the last test asserts that none of the app's catalog entries was left
 * out, so a new trigger or action without a test fails the suite.
 *
 * @example
 * const coverage = catalogCoverage('recruitee');
 * coverage.ran('recruitee.addNote');
 * it('executes every catalog entry', () => coverage.assertComplete());
 */
export function catalogCoverage(app: string) {
  const ids = buildCatalog(ALL_CONNECTORS).filter((e) => e.app === app).map((e) => e.id);
  if (ids.length === 0) throw new Error(`no catalog entries for ${app}`);
  const ran = new Set<string>();
  return {
    ids,
    ran(id: string) {
      if (!ids.includes(id)) throw new Error(`${id} is not a catalog entry of ${app}`);
      ran.add(id);
    },
    /** the entries not executed yet */
    missing: () => ids.filter((id) => !ran.has(id)),
    assertComplete() {
      const missing = ids.filter((id) => !ran.has(id));
      if (missing.length > 0) throw new Error(`catalog entries of ${app} never executed: ${missing.join(', ')}`);
    },
  };
}
