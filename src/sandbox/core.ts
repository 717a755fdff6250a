import type { SandboxConfig } from './config.js';
import type { WebhookEvent } from './events.js';
import { FaultInjector, type Quirk } from './faults.js';
import { RateLimiter } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { Store } from './store.js';
import { WebhookDispatcher } from './webhooks.js';

/** The parts every operation and admin endpoint shares: state, limits, faults, webhooks, log. */
export class SandboxCore {
  readonly store: Store;
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly webhooks: WebhookDispatcher;
  private lastStamp = 0;

  constructor(
    readonly config: SandboxConfig,
    options: { store?: Store; random?: () => number; now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.store = options.store ?? new Store();
    this.limiter = new RateLimiter(config.rateLimit, this.now);
    this.faults = new FaultInjector(options.random);
    this.log = new RequestLog(config.requestLogSize);
    this.webhooks = new WebhookDispatcher(this.store, config, this.now);
  }

  readonly now: () => number;

  /** ISO time, strictly increasing, so records made in one millisecond keep their order. */
  stamp(): string {
    const t = Math.max(this.now(), this.lastStamp + 1);
    this.lastStamp = t;
    return new Date(t).toISOString();
  }

  emit(event: WebhookEvent): void {
    this.webhooks.emit(event);
  }

  /** Whether a quirk rule fires for this request (see faults.ts). */
  quirk(name: Quirk, method: string, path: string): { field?: string } | null {
    // only rules of this quirk are drawn and counted, so a rule's `times` is spent where it applies
    const rule = this.faults.fire(method, path, ['quirk'], (r) => r.quirk === name)[0];
    return rule ? { field: rule.field } : null;
  }
}
