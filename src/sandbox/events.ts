/** A webhook event the sandbox emits when its data changes (payloads per ghl-api.md §7). */
export interface WebhookEvent {
  type: string;
  /** The location the event belongs to; agency-level INSTALL/UNINSTALL have none. */
  locationId: string | null;
  companyId: string;
  /** Scope an app needs to receive it; null for INSTALL/UNINSTALL. */
  scope: string | null;
  /** Only this app receives it (INSTALL/UNINSTALL); null: every app installed on the location. */
  appId: string | null;
  payload: Record<string, unknown>;
}

export type EmitEvent = (event: WebhookEvent) => void;
