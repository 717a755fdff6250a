/**
 * Connecteam actions for the operations catalog and recipes' `type: app` steps. Inputs are strict;
 * user ids are accepted as numbers or digit strings, because recipes pass ledger links (text).
 */
import { z } from 'zod';
import type { ActionDef, JsonSchema } from '../types.js';
import { createConnecteamClient } from './client.js';
import type { ConnecteamConnection } from './connection.js';
import { customFieldSettingSchema, toUserView, userViewSchema } from './schemas.js';
import { summarizeContactView } from './contact-view.js';

const userIdSchema = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/, { error: 'a Connecteam user id (digits)' })]).describe('Connecteam userId');
const toId = (v: number | string): number => Number(v);
const json = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;

const contactViewSchema = z
  .looseObject({
    contact: z.record(z.string(), z.unknown()),
    tasks: z.array(z.record(z.string(), z.unknown())).optional(),
    notes: z.array(z.record(z.string(), z.unknown())).optional(),
    appointments: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .describe('The GHL contact with its tasks, notes and appointments (recipes: contactView: true)');

type Action<In> = ActionDef<ConnecteamConnection, In, unknown>;

const getUserInput = z.strictObject({ userId: userIdSchema });
const getUser: Action<z.infer<typeof getUserInput>> = {
  id: 'connecteam.getUser',
  title: 'Get a user',
  endpoint: 'GET /users/v1/users?userIds={userId}&userStatus=all',
  scope: 'users.read',
  idempotent: true,
  input: getUserInput,
  output: json(z.object({ user: userViewSchema.nullable() })),
  async run({ conn, signal }, input) {
    const user = await createConnecteamClient(conn, { signal }).getUser(toId(input.userId));
    return { user: user ? toUserView(user) : null };
  },
};

const listUsersInput = z.strictObject({
  limit: z.number().int().min(1).max(500).optional(),
  offset: z.number().int().min(0).optional(),
  userStatus: z.enum(['active', 'archived', 'all']).optional(),
  userIds: z.array(userIdSchema).optional(),
  emailAddresses: z.array(z.string().min(1)).optional(),
  createdAfter: z.number().int().positive().optional().describe('Unix seconds'),
  modifiedAfter: z.number().int().positive().optional().describe('Unix seconds'),
});
const listUsers: Action<z.infer<typeof listUsersInput>> = {
  id: 'connecteam.listUsers',
  title: 'List users (one page)',
  endpoint: 'GET /users/v1/users',
  scope: 'users.read',
  idempotent: true,
  input: listUsersInput,
  output: json(z.object({ users: z.array(userViewSchema), nextOffset: z.number().int().nullable() })),
  async run({ conn, signal }, input) {
    const limit = input.limit ?? 10;
    const offset = input.offset ?? 0;
    const { users } = await createConnecteamClient(conn, { signal }).listUsers({
      limit,
      offset,
      userStatus: input.userStatus,
      userIds: input.userIds?.map(toId),
      emailAddresses: input.emailAddresses,
      createdAt: input.createdAfter,
      modifiedAt: input.modifiedAfter,
    });
    return { users: users.map(toUserView), nextOffset: users.length < limit ? null : offset + users.length };
  },
};

const updateUserInput = z.strictObject({
  userId: userIdSchema,
  firstName: z.string().min(1).max(100).optional(),
  lastName: z.string().min(1).max(100).optional(),
  email: z.email().optional(),
  phoneNumber: z.string().regex(/^\+\d{6,15}$/, { error: 'a phone number as +<country code><number>' }).optional(),
  customFields: z.array(z.strictObject({ customFieldId: z.number().int().positive(), value: z.unknown() })).optional(),
});
const updateUser: Action<z.infer<typeof updateUserInput>> = {
  id: 'connecteam.updateUser',
  title: 'Update a user',
  endpoint: 'PUT /users/v1/users',
  scope: 'users.write',
  idempotent: true,
  input: updateUserInput,
  output: json(z.object({ user: userViewSchema.nullable() })),
  async run({ conn, signal }, input) {
    const { userId, ...fields } = input;
    const [user] = await createConnecteamClient(conn, { signal }).updateUsers([{ userId: toId(userId), ...fields }]);
    return { user: user ? toUserView(user) : null };
  },
};

const archiveUserInput = z.strictObject({ userId: userIdSchema });
const archiveUser: Action<z.infer<typeof archiveUserInput>> = {
  id: 'connecteam.archiveUser',
  title: 'Archive a user',
  endpoint: 'DELETE /users/v1/users?deletionType=archive',
  scope: 'users.delete',
  idempotent: true,
  input: archiveUserInput,
  output: json(z.object({ success: z.boolean() })),
  async run({ conn, signal }, input) {
    return { success: await createConnecteamClient(conn, { signal }).archiveUsers([toId(input.userId)]) };
  },
};

const noteOut = json(z.object({ id: z.number().int(), title: z.string().optional(), text: z.string(), createdAt: z.number().int().optional() }));
const addUserNoteInput = z.strictObject({
  userId: userIdSchema,
  text: z.string().min(1).max(1000, { error: 'at most 1000 characters (Connecteam limit)' }),
  title: z.string().min(1).optional(),
});
const addUserNote: Action<z.infer<typeof addUserNoteInput>> = {
  id: 'connecteam.addUserNote',
  title: 'Add a note to a user',
  endpoint: 'POST /users/v1/users/{userId}/notes',
  scope: 'users.write',
  idempotent: false,
  input: addUserNoteInput,
  output: noteOut,
  async run({ conn, signal }, input) {
    return createConnecteamClient(conn, { signal }).addUserNote(toId(input.userId), { text: input.text, ...(input.title ? { title: input.title } : {}) });
  },
};

const listCustomFieldsInput = z.strictObject({});
const listCustomFields: Action<z.infer<typeof listCustomFieldsInput>> = {
  id: 'connecteam.listCustomFields',
  title: 'List user custom fields',
  endpoint: 'GET /users/v1/custom-fields',
  scope: 'users.read',
  idempotent: true,
  input: listCustomFieldsInput,
  output: json(z.object({ customFields: z.array(customFieldSettingSchema) })),
  async run({ conn, signal }) {
    return { customFields: await createConnecteamClient(conn, { signal }).listCustomFields() };
  },
};

const pushContactViewInput = z.strictObject({
  userId: userIdSchema,
  contactView: contactViewSchema,
  title: z.string().min(1).optional(),
});
const pushContactView: Action<z.infer<typeof pushContactViewInput>> = {
  id: 'connecteam.pushContactView',
  title: "Write a GHL contact's view (contact, tasks, notes, appointments) as a user note",
  endpoint: 'POST /users/v1/users/{userId}/notes',
  scope: 'users.write',
  idempotent: false,
  input: pushContactViewInput,
  output: noteOut,
  async run({ conn, signal }, input) {
    const text = summarizeContactView(input.contactView);
    return createConnecteamClient(conn, { signal }).addUserNote(toId(input.userId), { text, title: input.title ?? 'HighLevel contact' });
  },
};

const meInput = z.strictObject({});
const me: Action<z.infer<typeof meInput>> = {
  id: 'connecteam.me',
  title: 'Account the API key belongs to (connection test)',
  endpoint: 'GET /me',
  idempotent: true,
  input: meInput,
  output: json(z.object({ companyName: z.string().optional(), companyId: z.string().optional() })),
  async run({ conn, signal }) {
    return createConnecteamClient(conn, { signal }).me();
  },
};

/** Every Connecteam action, in catalog order. */
export const connecteamActions = [getUser, listUsers, updateUser, archiveUser, addUserNote, listCustomFields, pushContactView, me];
