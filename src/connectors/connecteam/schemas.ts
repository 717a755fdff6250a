/**
 * Connecteam's wire shapes (users, custom fields, the webhook envelope) and the normalized user the
 * engine sees. Wire schemas are loose (`z.looseObject`): Connecteam adds fields over time and a new
 * one must not break a sync. Timestamps are Unix seconds.
 */
import { z } from 'zod';

export const CUSTOM_FIELD_TYPES = ['email', 'date', 'phone', 'number', 'str', 'dropdown', 'file', 'directManager', 'birthday', 'link', 'location'] as const;

export const wireCustomFieldSchema = z.looseObject({
  customFieldId: z.number().int(),
  name: z.string().optional(),
  type: z.string().optional(),
  value: z.unknown(),
});

/** A user as `GET /users/v1/users` and the webhooks send it (nulls allowed: webhook samples carry them). */
export const wireUserSchema = z.looseObject({
  userId: z.number().int().positive(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  phoneNumber: z.string().nullish(),
  email: z.string().nullish(),
  userType: z.string().nullish(),
  isArchived: z.boolean().nullish(),
  kioskCode: z.string().nullish(),
  createdAt: z.number().int().nullish(),
  modifiedAt: z.number().int().nullish(),
  archivedAt: z.number().int().nullish(),
  lastLogin: z.number().int().nullish(),
  smartGroupsIds: z.array(z.number()).nullish(),
  customFields: z.array(wireCustomFieldSchema).nullish(),
});
export type WireUser = z.infer<typeof wireUserSchema>;

export const customFieldSettingSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  categoryId: z.number().int().nullish(),
  isRequired: z.boolean().optional(),
});
export type CustomFieldSetting = z.infer<typeof customFieldSettingSchema>;

export const usersPageSchema = z.looseObject({
  requestId: z.string().optional(),
  data: z.looseObject({ users: z.array(wireUserSchema) }),
  paging: z.looseObject({ offset: z.number().int(), total: z.number().int().optional() }).optional(),
});

export const customFieldsPageSchema = z.looseObject({
  requestId: z.string().optional(),
  data: z.looseObject({ customFields: z.array(customFieldSettingSchema) }),
  paging: z.looseObject({ offset: z.number().int() }).optional(),
});

export const meSchema = z.looseObject({
  requestId: z.string().optional(),
  data: z.looseObject({ companyName: z.string().optional(), companyId: z.union([z.string(), z.number()]).optional() }),
});

/** The user as recipes see it: flat, with custom fields by name (and by id). */
export const userViewSchema = z.object({
  id: z.string().describe('Connecteam userId as text (the ledger key)'),
  userId: z.number().int(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  name: z.string().optional().describe('"firstName lastName"'),
  email: z.string().optional(),
  phone: z.string().optional(),
  userType: z.string().optional(),
  isArchived: z.boolean().optional(),
  kioskCode: z.string().optional(),
  createdAt: z.number().int().optional().describe('Unix seconds'),
  modifiedAt: z.number().int().optional().describe('Unix seconds'),
  archivedAt: z.number().int().optional(),
  customFields: z.record(z.string(), z.unknown()).describe('Custom field values by name; date fields as YYYY-MM-DD'),
  customFieldsById: z.record(z.string(), z.unknown()),
  customFieldList: z.array(wireCustomFieldSchema),
});
export type UserView = z.infer<typeof userViewSchema>;

/** The payload of every Connecteam engine event. */
export const eventPayloadSchema = z.object({
  user: userViewSchema.partial().required({ id: true, userId: true }).describe('Archive/restore/delete webhooks carry only the id'),
  event: z.object({
    type: z.string().describe('Connecteam eventType (user_created, …) or "poll"'),
    requestId: z.string().optional(),
    company: z.string().optional(),
    timestamp: z.number().int().optional(),
  }),
});
export type EventPayload = z.infer<typeof eventPayloadSchema>;

/** `dd/mm/yyyy` (the documented date shape) → `yyyy-mm-dd`, which the date transform reads; else unchanged. */
export function normalizeDateValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : value;
}

const text = (v: string | null | undefined): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/**
 * The engine's view of a Connecteam user: null/empty fields dropped, custom fields as a name → value map.
 *
 * @example
 * toUserView({ userId: 9100001, firstName: 'Sam', lastName: 'Rivera', customFields: [{ customFieldId: 1, name: 'Start', type: 'date', value: '24/11/2024' }] });
 * // { id: '9100001', userId: 9100001, firstName: 'Sam', lastName: 'Rivera', name: 'Sam Rivera', customFields: { Start: '2024-11-24' }, … }
 */
export function toUserView(user: WireUser): UserView {
  const list = user.customFields ?? [];
  const byName: Record<string, unknown> = {};
  const byId: Record<string, unknown> = {};
  for (const f of list) {
    const value = f.type === 'date' || f.type === 'birthday' ? normalizeDateValue(f.value) : f.value;
    if (f.name) byName[f.name] = value;
    byId[String(f.customFieldId)] = value;
  }
  const firstName = text(user.firstName);
  const lastName = text(user.lastName);
  const name = [firstName, lastName].filter(Boolean).join(' ') || undefined;
  const view: UserView = {
    id: String(user.userId),
    userId: user.userId,
    firstName,
    lastName,
    name,
    email: text(user.email),
    phone: text(user.phoneNumber),
    userType: text(user.userType),
    isArchived: user.isArchived ?? undefined,
    kioskCode: text(user.kioskCode),
    createdAt: user.createdAt ?? undefined,
    modifiedAt: user.modifiedAt ?? undefined,
    archivedAt: user.archivedAt ?? undefined,
    customFields: byName,
    customFieldsById: byId,
    customFieldList: list,
  };
  // undefined keys would still show up in Object.keys and in previews: drop them
  for (const k of Object.keys(view) as (keyof UserView)[]) if (view[k] === undefined) delete view[k];
  return view;
}
