import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SandboxState } from './model.js';
import type { Store } from './store.js';

/**
 * `--data FILE`: the state is read at start and written (atomically: temp file + rename) shortly
 * after every change and on close, so a restart continues where the sandbox stopped.
 */
export class FilePersistence {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly store: Store,
    private readonly delayMs = 50,
  ) {}

  /** The saved state, or null when the file does not exist yet. */
  load(): SandboxState | null {
    if (!existsSync(this.file)) return null;
    const state = JSON.parse(readFileSync(this.file, 'utf8')) as SandboxState;
    if (state.version !== 1) throw new Error(`${this.file}: unsupported state version ${String(state.version)}`);
    return state;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.store.state), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
