/**
 * `<dataDir>/demo.json`: how far the sample stream got (the step), its seed and its epoch, so a
 * restart rebuilds the fakes' data (a silent replay) and continues with the next step instead of
 * starting over with ids the ledger already links to other contacts. Written atomically.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface DemoState {
  version: 1;
  seed: number;
  /** ms: the first start; due dates are computed from it so a replay writes the same values */
  epoch: number;
  /** steps already applied */
  step: number;
}

/** The saved state, or a new one (nothing saved yet, or a file from another version). */
export function readDemoState(file: string, defaults: { seed: number; now: number }): DemoState {
  if (existsSync(file)) {
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoState>;
      if (s.version === 1 && Number.isInteger(s.seed) && Number.isFinite(s.epoch) && Number.isInteger(s.step) && s.step! >= 0) return s as DemoState;
    } catch {
      // unreadable: start the stream over (the sandbox and the database keep their own data)
    }
  }
  return { version: 1, seed: defaults.seed, epoch: defaults.now, step: 0 };
}

export function writeDemoState(file: string, state: DemoState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, file);
}
