/** The sandbox's state: what a HighLevel agency, its locations, apps and records look like. */

/**
 * The location's "Allow Duplicate Contact" setting. `off` means duplicates are allowed; the
 * others name the fields checked, in priority order.
 */
export type DuplicateCheck = 'off' | 'email' | 'phone' | 'email-phone' | 'phone-email';
export const DUPLICATE_CHECKS: readonly DuplicateCheck[] = ['off', 'email', 'phone', 'email-phone', 'phone-email'];

export type UserType = 'Location' | 'Company';

export interface Company {
  id: string;
  name: string;
}

export interface CustomFieldDef {
  id: string;
  key: string;
  name: string;
  dataType: string;
}

export interface Location {
  id: string;
  companyId: string;
  name: string;
  address: string;
  /** ISO country used to read phone numbers without a country code. */
  country: string;
  timezone: string;
  duplicateCheck: DuplicateCheck;
  customFields: CustomFieldDef[];
}

export interface User {
  id: string;
  companyId: string;
  locationIds: string[];
  firstName: string;
  lastName: string;
  email: string;
}

export interface App {
  /** The app id: the part of the client id before the dash. */
  id: string;
  clientId: string;
  clientSecret: string;
  name: string;
  versionId: string;
  redirectUris: string[];
  scopes: string[];
  webhookUrl: string | null;
}

export interface Installation {
  appId: string;
  companyId: string;
  locationId: string | null;
  installedAt: string;
}

/** An OAuth access token or a Private Integration Token. */
export interface TokenRecord {
  token: string;
  kind: 'access' | 'pit';
  /** OAuth app, or null for a PIT (rate-limited per token). */
  appId: string | null;
  userType: UserType;
  companyId: string;
  locationId: string | null;
  scopes: string[];
  userId: string;
  /** epoch ms; null never expires (PIT) */
  expiresAt: number | null;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  appId: string;
  userType: UserType;
  companyId: string;
  locationId: string | null;
  scopes: string[];
  userId: string;
  used: boolean;
  revoked: boolean;
}

export interface AuthCodeRecord {
  code: string;
  appId: string;
  redirectUri: string;
  userType: UserType;
  companyId: string;
  locationId: string | null;
  scopes: string[];
  userId: string;
  expiresAt: number;
  used: boolean;
}

export interface StoredCustomField {
  id: string;
  value: unknown;
}

export interface DndChannel {
  status: 'active' | 'inactive' | 'permanent';
  message?: string;
  code?: string;
}

export interface Contact {
  id: string;
  locationId: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  email?: string;
  phone?: string;
  gender?: string;
  companyName?: string;
  address1?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  website?: string;
  timezone?: string;
  source?: string;
  assignedTo?: string;
  dateOfBirth?: string;
  dnd: boolean;
  dndSettings?: Record<string, DndChannel>;
  inboundDndSettings?: Record<string, unknown>;
  tags: string[];
  customFields: StoredCustomField[];
  businessId?: string;
  followers: string[];
  campaigns: string[];
  workflows: Array<{ workflowId: string; eventStartTime?: string }>;
  type: string;
  dateAdded: string;
  dateUpdated: string;
}

export interface Task {
  id: string;
  contactId: string;
  locationId: string;
  title: string;
  body?: string;
  assignedTo?: string;
  dueDate: string;
  completed: boolean;
  dateAdded: string;
}

export interface Note {
  id: string;
  contactId: string;
  locationId: string;
  body: string;
  userId?: string;
  title?: string;
  color?: string;
  pinned?: boolean;
  dateAdded: string;
}

export interface Appointment {
  id: string;
  calendarId: string;
  locationId: string;
  contactId: string;
  title: string;
  status: string;
  appointmentStatus: string;
  assignedUserId?: string;
  notes?: string;
  address?: string;
  startTime: string;
  endTime: string;
  groupId?: string;
  users?: string[];
  assignedResources?: string[];
  dateAdded: string;
  dateUpdated: string;
}

export interface WebhookKeys {
  ed25519: { publicKey: string; privateKey: string };
  rsa: { publicKey: string; privateKey: string } | null;
}

/** Everything the sandbox persists with `--data`. */
export interface SandboxState {
  version: 1;
  companies: Record<string, Company>;
  locations: Record<string, Location>;
  users: Record<string, User>;
  apps: Record<string, App>;
  installations: Installation[];
  tokens: Record<string, TokenRecord>;
  refreshTokens: Record<string, RefreshTokenRecord>;
  authCodes: Record<string, AuthCodeRecord>;
  contacts: Record<string, Contact>;
  tasks: Record<string, Task>;
  notes: Record<string, Note>;
  appointments: Record<string, Appointment>;
  webhookKeys: WebhookKeys | null;
}

export function emptyState(): SandboxState {
  return {
    version: 1,
    companies: {},
    locations: {},
    users: {},
    apps: {},
    installations: [],
    tokens: {},
    refreshTokens: {},
    authCodes: {},
    contacts: {},
    tasks: {},
    notes: {},
    appointments: {},
    webhookKeys: null,
  };
}
