/**
 * Catalog samples of the Connecteam triggers: envelopes built as the fake builds its deliveries
 * (a user shaped like the fake's), run through the webhook parser; polled events from the same user
 * through the poll's `userToEvent`. Fixed times keep the samples (and docs/catalog.md) stable.
 */
import type { ConnectorSamples, TriggerSample } from '../types.js';
import { connecteamEnvelope, DEFAULT_FIELDS, type FakeUser } from './fake.js';
import { userToEvent } from './poll.js';
import { wireUserSchema } from './schemas.js';
import { parseConnecteamWebhook } from './webhook.js';

const CREATED = 1772442900; // 2026-03-02T09:15:00Z
const MODIFIED = 1772634600; // 2026-03-04T14:30:00Z

function field(id: number, value: unknown) {
  const f = DEFAULT_FIELDS.find((x) => x.id === id)!;
  return { customFieldId: f.id, name: f.name, type: f.type, value };
}

/** A user as the fake holds (and sends) one after `createUser`. */
function user(patch: Partial<FakeUser> = {}): FakeUser {
  return {
    userId: 9100001, firstName: 'Sam', lastName: 'Rivera', phoneNumber: '+14155550123', email: 'sam.rivera@example.com', userType: 'user',
    isArchived: false, kioskCode: '1002', createdAt: CREATED, modifiedAt: CREATED, archivedAt: null, lastLogin: 0, smartGroupsIds: [],
    invitedToBeManager: null, profilePictureUrl: null,
    customFields: [field(6200001, '02/03/2026'), field(7600001, 'E-1042'), field(7600002, 'Warehouse')],
    ...patch,
  };
}

function delivered(eventType: string, data: unknown[], timestamp: number): TriggerSample {
  const [event] = parseConnecteamWebhook(connecteamEnvelope('fake-company-1', eventType, data, timestamp, '6f1d2c9e-3b7a-4f0e-9c55-2a8e1b4d7f10'));
  return { type: event!.type, payload: event!.payload };
}

const updated = () => user({ phoneNumber: '+14155550124', modifiedAt: MODIFIED });

function polled(): TriggerSample[] {
  // the API's answer, read as the client reads it
  const wire = (u: FakeUser) => wireUserSchema.parse(u);
  const events = [userToEvent(wire(user()), 0), userToEvent(wire(updated()), CREATED + 60), userToEvent(wire(user({ isArchived: true, modifiedAt: MODIFIED, archivedAt: MODIFIED })), CREATED + 60)];
  return events.map((e) => ({ type: e.type, payload: e.payload }));
}

/**
 * @example
 * connecteamSamples.triggers['connecteam.user.created']!()[0]!.payload.user; // { id: '9100001', firstName: 'Sam', … }
 */
export const connecteamSamples: ConnectorSamples = {
  triggers: {
    'connecteam.user.created': () => [delivered('user_created', [user()], CREATED + 1)],
    'connecteam.user.updated': () => [delivered('user_updated', [updated()], MODIFIED + 1)],
    // documented: archive, restore and delete webhooks carry only the user id
    'connecteam.user.archived': () => [delivered('user_archived', [{ userId: 9100001 }], MODIFIED + 1)],
    'connecteam.user.restored': () => [delivered('user_restored', [{ userId: 9100001 }], MODIFIED + 1)],
    'connecteam.user.deleted': () => [delivered('user_deleted', [{ userId: 9100001 }], MODIFIED + 1)],
    'connecteam.users.changed': polled,
  },
  actions: {
    'connecteam.getUser': { userId: 9100001 },
    'connecteam.listUsers': { limit: 100, offset: 0, userStatus: 'active', modifiedAfter: CREATED },
    'connecteam.updateUser': { userId: 9100001, firstName: 'Sam', lastName: 'Rivera', email: 'sam.rivera@example.com', phoneNumber: '+14155550123', customFields: [{ customFieldId: 7600002, value: 'Warehouse' }] },
    'connecteam.archiveUser': { userId: 9100001 },
    'connecteam.addUserNote': { userId: 9100001, title: 'From HighLevel', text: 'Asked about the weekend shifts.' },
    'connecteam.listCustomFields': {},
    'connecteam.pushContactView': { userId: 9100001, title: 'HighLevel contact', contactView: { contact: { id: 'ocQHyuzHvysMo5N5VsXc', firstName: 'Sam', lastName: 'Rivera', email: 'sam.rivera@example.com', tags: ['employee'] }, tasks: [], notes: [], appointments: [] } },
    'connecteam.me': {},
  },
};
