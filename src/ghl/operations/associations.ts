/** What hangs off one contact: tags, followers, campaigns, workflows, appointments. */
import type { CreateWorkflowDto } from '../../spec/index.js';
import type {
  AddFollowersResponse, AppointmentsResponse, RemoveFollowersResponse, SucceededResponse, TagList, TagsResponse,
} from './models.js';
import { invoke, pathLocation, segment, type LocatedRequestOptions, type OperationContext } from './request.js';

export interface ContactTagsOperations {
  /** POST /contacts/{contactId}/tags (`add-tags`, 201): the contact's tags afterwards. */
  add(contactId: string, tags: TagList, options?: LocatedRequestOptions): Promise<TagsResponse>;
  /** DELETE /contacts/{contactId}/tags (`remove-tags`, body on DELETE): the contact's tags afterwards. */
  remove(contactId: string, tags: TagList, options?: LocatedRequestOptions): Promise<TagsResponse>;
}

export interface FollowersOperations {
  /** POST /contacts/{contactId}/followers (`add-followers-contact`, 201); followers are user ids. */
  add(contactId: string, followers: string[], options?: LocatedRequestOptions): Promise<AddFollowersResponse>;
  /** DELETE /contacts/{contactId}/followers (`remove-followers-contact`, body on DELETE). */
  remove(contactId: string, followers: string[], options?: LocatedRequestOptions): Promise<RemoveFollowersResponse>;
}

export interface CampaignsOperations {
  /** POST /contacts/{contactId}/campaigns/{campaignId} (`add-contact-to-campaign`, 201). */
  add(contactId: string, campaignId: string, options?: LocatedRequestOptions): Promise<SucceededResponse>;
  /** DELETE /contacts/{contactId}/campaigns/{campaignId} (`remove-contact-from-campaign`). */
  remove(contactId: string, campaignId: string, options?: LocatedRequestOptions): Promise<SucceededResponse>;
  /** DELETE /contacts/{contactId}/campaigns/removeAll (`remove-contact-from-every-campaign`). */
  removeAll(contactId: string, options?: LocatedRequestOptions): Promise<SucceededResponse>;
}

export interface WorkflowsOperations {
  /** POST /contacts/{contactId}/workflow/{workflowId} (`add-contact-to-workflow`). */
  add(contactId: string, workflowId: string, input?: CreateWorkflowDto, options?: LocatedRequestOptions): Promise<SucceededResponse>;
  /** DELETE /contacts/{contactId}/workflow/{workflowId} (`delete-contact-from-workflow`, body on DELETE). */
  remove(contactId: string, workflowId: string, input?: CreateWorkflowDto, options?: LocatedRequestOptions): Promise<SucceededResponse>;
}

export interface AppointmentsOperations {
  /** GET /contacts/{contactId}/appointments (`get-appointments-for-contact`). */
  list(contactId: string, options?: LocatedRequestOptions): Promise<AppointmentsResponse>;
}

const contactPath = (contactId: string) => `/contacts/${segment('contactId', contactId)}`;

/**
 * Tags of one contact (`tags.bulkUpdate` comes from `bulkTagsUpdate`). HighLevel stores tags
 * trimmed and lower-cased.
 *
 * @example
 * const { tags } = await contactTagsOperations({ call }).add(contactId, ['vip'], { locationId });
 */
export function contactTagsOperations(ctx: OperationContext): ContactTagsOperations {
  return {
    async add(contactId, tags, options) {
      return invoke(
        ctx,
        { operationId: 'add-tags', method: 'POST', path: `${contactPath(contactId)}/tags`, idempotent: true, body: { tags }, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async remove(contactId, tags, options) {
      return invoke(
        ctx,
        { operationId: 'remove-tags', method: 'DELETE', path: `${contactPath(contactId)}/tags`, idempotent: true, body: { tags }, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
  };
}

/**
 * Followers (user ids) of one contact.
 *
 * @example
 * const { followersAdded } = await followersOperations({ call, locationId }).add(contactId, [userId]);
 */
export function followersOperations(ctx: OperationContext): FollowersOperations {
  const path = (contactId: string) => `${contactPath(contactId)}/followers`;
  return {
    async add(contactId, followers, options) {
      return invoke(
        ctx,
        { operationId: 'add-followers-contact', method: 'POST', path: path(contactId), idempotent: true, body: { followers }, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async remove(contactId, followers, options) {
      return invoke(
        ctx,
        { operationId: 'remove-followers-contact', method: 'DELETE', path: path(contactId), idempotent: true, body: { followers }, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
  };
}

/**
 * Campaign memberships of one contact.
 *
 * @example
 * await campaignsOperations({ call, locationId }).add(contactId, campaignId);
 */
export function campaignsOperations(ctx: OperationContext): CampaignsOperations {
  const path = (contactId: string, campaignId: string) => {
    // `removeAll` is the literal path of remove-contact-from-every-campaign, matched first.
    if (campaignId === 'removeAll') throw new TypeError('campaignId "removeAll" would address every campaign: use campaigns.removeAll');
    return `${contactPath(contactId)}/campaigns/${segment('campaignId', campaignId)}`;
  };
  return {
    async add(contactId, campaignId, options) {
      return invoke(
        ctx,
        // AddContactToCampaignDto is an empty object, and the body is required.
        { operationId: 'add-contact-to-campaign', method: 'POST', path: path(contactId, campaignId), idempotent: true, body: {}, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async remove(contactId, campaignId, options) {
      return invoke(
        ctx,
        { operationId: 'remove-contact-from-campaign', method: 'DELETE', path: path(contactId, campaignId), idempotent: true, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async removeAll(contactId, options) {
      return invoke(
        ctx,
        { operationId: 'remove-contact-from-every-campaign', method: 'DELETE', path: `${contactPath(contactId)}/campaigns/removeAll`, idempotent: true, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
  };
}

/**
 * Workflow enrolments of one contact; `eventStartTime` (ISO with offset) is optional.
 *
 * @example
 * await workflowsOperations({ call, locationId }).add(contactId, workflowId, { eventStartTime: '2026-06-23T03:30:00+01:00' });
 */
export function workflowsOperations(ctx: OperationContext): WorkflowsOperations {
  const path = (contactId: string, workflowId: string) => `${contactPath(contactId)}/workflow/${segment('workflowId', workflowId)}`;
  return {
    async add(contactId, workflowId, input, options) {
      return invoke(
        ctx,
        { operationId: 'add-contact-to-workflow', method: 'POST', path: path(contactId, workflowId), idempotent: true, body: input ?? {}, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async remove(contactId, workflowId, input, options) {
      return invoke(
        ctx,
        { operationId: 'delete-contact-from-workflow', method: 'DELETE', path: path(contactId, workflowId), idempotent: true, body: input ?? {}, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
  };
}

/**
 * Appointments of one contact.
 *
 * @example
 * const { events } = await appointmentsOperations({ call, locationId }).list(contactId);
 */
export function appointmentsOperations(ctx: OperationContext): AppointmentsOperations {
  return {
    async list(contactId, options) {
      return invoke(
        ctx,
        { operationId: 'get-appointments-for-contact', method: 'GET', path: `${contactPath(contactId)}/appointments`, idempotent: true, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
  };
}
