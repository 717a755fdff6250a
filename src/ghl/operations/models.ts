/**
 * The typed inputs and outputs of the contacts operations.
 *
 * They derive from the spec-generated types (`src/spec/generated/types.ts`) and the overlay
 * (`src/spec/overlay.ts`). Where a generated type is too loose or wrong for a client, a precise
 * type is defined here, each with the reason:
 *
 * - Records HighLevel returns always carry an `id`; the generator makes every property optional
 *   (the spec lists no `required`), so `id` is made required on contacts, tasks, notes, events.
 * - Response wrappers (`{contact}`, `{tasks}`, `{succeded}` …) always carry their key, so the
 *   key is required here.
 * - `dateOfBirth` is typed object|null by the spec while its own text lists string formats
 *   (ghl-api.md §2.3): a string here.
 * - Custom field values are not only strings (overlay `CustomFieldSchema`, ghl-api.md §7.1), and
 *   a custom field can be written by `id` or by `key` (overlay `CustomFieldInput`, §2.5).
 * - The bulk-tags `responses` are objects, not strings (overlay `UpdateTagsResponseDTO`, §2.4).
 */
import type {
  ContactsBulkUpateResponse,
  ContactsMeta,
  ContactsSearchSchema,
  CreateAddFollowersSuccessfulResponseDto,
  CreateContactDto,
  CreateContactSchema,
  DeleteContactsSuccessfulResponseDto,
  DeleteFollowersSuccessfulResponseDto,
  GetContectByIdSchema,
  GetEventSchema,
  GetNoteSchema,
  SearchContactsBody,
  TagsDTO,
  TaskSchema,
  UpdateContactDto,
  UpdateTagsDTO,
  UpsertContactDto,
} from '../../spec/index.js';

/** `T` with a required `id` (records HighLevel returns always have one). */
type Identified<T extends { id?: string }> = Omit<T, 'id'> & { id: string };

// ---------------------------------------------------------------------------------------------
// Custom fields and dates

/**
 * A custom field value: text, number, boolean, a list (checkbox, multi-select) or an object (file
 * upload map). The generated `CustomFieldSchema` says string only (overlay fixes it, §7.1).
 */
export type CustomFieldValue = string | number | boolean | string[] | { [key: string]: unknown };

/** A custom field of a returned contact. */
export interface ContactCustomField {
  id: string;
  value?: CustomFieldValue;
}

/**
 * A custom field to write, by `id` or by `key` ("Pass either `id` or `key`", §2.5). An empty
 * string clears the value.
 */
export type CustomFieldInput =
  | { id: string; key?: string; field_value?: CustomFieldValue }
  | { key: string; id?: string; field_value?: CustomFieldValue };

/**
 * Date of birth as HighLevel accepts it: YYYY/MM/DD, MM/DD/YYYY, YYYY-MM-DD, MM-DD-YYYY,
 * YYYY.MM.DD, MM.DD.YYYY, YYYY_MM_DD or MM_DD_YYYY (the spec's object|null is wrong, §2.3).
 */
export type DateOfBirth = string;

/** The fields the write DTOs get wrong (see the file comment). */
interface ContactWriteFixes {
  dateOfBirth?: DateOfBirth | null;
  customFields?: CustomFieldInput[];
}

type ContactWriteFixed<T> = Omit<T, 'dateOfBirth' | 'customFields'> & ContactWriteFixes;

// ---------------------------------------------------------------------------------------------
// Inputs

/** POST /contacts/ body; `locationId` defaults to the client's location. */
export type CreateContactInput = Omit<ContactWriteFixed<CreateContactDto>, 'locationId'> & { locationId?: string };

/** PUT /contacts/{id} body. `tags` overwrites every tag: prefer `tags.add`/`tags.remove`. */
export type UpdateContactInput = ContactWriteFixed<UpdateContactDto>;

/** POST /contacts/upsert body; `locationId` defaults to the client's location. */
export type UpsertContactInput = Omit<ContactWriteFixed<UpsertContactDto>, 'locationId'> & { locationId?: string };

/** Query of the deprecated GET /contacts/. */
export interface ListContactsParams {
  /** Defaults to the client's location. */
  locationId?: string;
  /** Free-text contact query. */
  query?: string;
  /** Page size, at most 100 (default 20 on HighLevel's side). */
  limit?: number;
  /** Epoch ms of the last contact seen (`meta.startAfter`). */
  startAfter?: number;
  /** Id of the last contact seen (`meta.startAfterId`). */
  startAfterId?: string;
}

/** POST /contacts/search body (overlay `SearchContactsBody`); `locationId` defaults to the client's location. */
export type SearchContactsInput = Omit<SearchContactsBody, 'locationId'> & { locationId?: string };

/** The cursor of a searched contact: its sort values, then its id. */
export type SearchCursor = NonNullable<SearchContactsBody['searchAfter']>;

/** Query of GET /contacts/search/duplicate. At least one of `email` and `phone` is needed. */
export interface FindDuplicateParams {
  /** Defaults to the client's location. */
  locationId?: string;
  email?: string;
  /** Sent as HighLevel's `number` query parameter. */
  phone?: string;
}

/** Query of GET /contacts/business/{businessId} (`limit`/`skip` are strings on the wire). */
export interface BusinessContactsParams {
  /** Defaults to the client's location. */
  locationId?: string;
  query?: string;
  /** Page size (HighLevel's default 25). */
  limit?: number;
  /** Contacts to skip (default 0). */
  skip?: number;
}

/** `{type}` of POST /contacts/bulk/tags/update/{type} (values UNVERIFIED, ghl-api.md §2.2). */
export type BulkTagsType = 'add' | 'remove';

/** Bulk tags body; `removeAllTags` "can only be used with remove type". */
export type BulkTagsInput<K extends BulkTagsType = BulkTagsType> = Omit<UpdateTagsDTO, 'locationId' | 'removeAllTags'> & {
  /** Defaults to the client's location. */
  locationId?: string;
} & (K extends 'remove' ? { removeAllTags?: boolean } : { removeAllTags?: never });

/** POST /contacts/bulk/business body: `businessId: null` removes the business from the contacts. */
export interface AssignBusinessInput {
  ids: string[];
  businessId: string | null;
  /** Defaults to the client's location. */
  locationId?: string;
}

/** Tags to add to or remove from one contact. */
export type TagList = TagsDTO['tags'];

// ---------------------------------------------------------------------------------------------
// Records

/** A contact as GET/PUT/upsert return it (`GetContectByIdSchema`, sic). */
export type Contact = Omit<Identified<GetContectByIdSchema>, 'customFields'> & { customFields?: ContactCustomField[] };

/** A contact as POST /contacts/ returns it (`CreateContactSchema`). */
export type CreatedContact = Omit<Identified<CreateContactSchema>, 'customFields'> & { customFields?: ContactCustomField[] };

/**
 * A contact of GET /contacts/ or by business: the spec says `ContactsSearchSchema`; live answers
 * are reported to be full contacts (ghl-api.md §2.4), so both shapes' optional fields are typed.
 */
export type ListedContact = Contact & Omit<ContactsSearchSchema, 'id' | 'customFields'>;

/** A contact of POST /contacts/search: a contact with its `searchAfter` cursor (overlay). */
export type SearchedContact = Contact & { searchAfter: SearchCursor };

export type Task = Identified<TaskSchema>;
export type Note = Identified<GetNoteSchema>;
/** An appointment of a contact (`GetEventSchema`). */
export type Appointment = Identified<GetEventSchema>;

// ---------------------------------------------------------------------------------------------
// Responses

/** `{succeded}` (HighLevel's spelling) of deletes, campaigns and workflows. */
export type SucceededResponse = Required<DeleteContactsSuccessfulResponseDto>;

export interface ContactResponse {
  contact: Contact;
}

export interface CreateContactResponse {
  contact: CreatedContact;
}

export interface UpdateContactResponse {
  succeded: boolean;
  contact: Contact;
}

export interface UpsertContactResponse {
  /** True when the upsert created the contact. */
  new: boolean;
  contact: Contact;
  traceId?: string;
}

export interface ListContactsResponse {
  contacts: ListedContact[];
  count: number;
  /**
   * Paging cursor. The overlay (and the sandbox) always send it; on the live API its keys are
   * UNVERIFIED (ghl-api.md §2.4), so it is optional here and `listAll` copes without it.
   */
  meta?: ContactsMeta;
}

export interface SearchContactsResponse {
  contacts: SearchedContact[];
  /** Contacts matching the search (all pages). */
  total: number;
  traceId?: string;
}

export interface DuplicateContactResponse {
  /** The contact the location's duplicate rule matches, or null. */
  contact: Contact | null;
  traceId?: string;
}

export interface BusinessContactsResponse {
  contacts: ListedContact[];
  count: number;
}

export interface TasksResponse {
  tasks: Task[];
}

export interface TaskResponse {
  task: Task;
}

export interface NotesResponse {
  notes: Note[];
}

export interface NoteResponse {
  note: Note;
}

export interface AppointmentsResponse {
  events: Appointment[];
}

/** The contact's tags after the change. */
export interface TagsResponse {
  tags: string[];
}

export type AddFollowersResponse = Required<CreateAddFollowersSuccessfulResponseDto>;
export type RemoveFollowersResponse = Required<DeleteFollowersSuccessfulResponseDto>;

/** One contact's outcome in a bulk tags update (overlay `UpdateTagsResponseDTO`). */
export type BulkTagsOutcome =
  | { contactId: string; type: 'success'; message: string; oldTags: string[]; tagsAdded: string[]; tagsRemoved: string[] }
  | { contactId: string; type: 'error'; message: string };

export interface BulkTagsResponse {
  succeded: boolean;
  errorCount: number;
  responses: BulkTagsOutcome[];
}

/** `{success, ids}`: the ids of the contacts updated. */
export type AssignBusinessResponse = ContactsBulkUpateResponse;
