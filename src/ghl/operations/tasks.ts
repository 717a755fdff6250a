/** Tasks of a contact: GET/POST /contacts/{contactId}/tasks and /tasks/{taskId}[/completed]. */
import type { CreateTaskParams, UpdateTaskBody } from '../../spec/index.js';
import type { SucceededResponse, TaskResponse, TasksResponse } from './models.js';
import { invoke, pathLocation, segment, type LocatedRequestOptions, type OperationContext } from './request.js';

export interface TasksOperations {
  /** GET /contacts/{contactId}/tasks (`get-all-tasks`). */
  list(contactId: string, options?: LocatedRequestOptions): Promise<TasksResponse>;
  /** GET /contacts/{contactId}/tasks/{taskId} (`get-task`). */
  get(contactId: string, taskId: string, options?: LocatedRequestOptions): Promise<TaskResponse>;
  /** POST /contacts/{contactId}/tasks (`create-task`, 201). Not idempotent: never blindly retried. */
  create(contactId: string, input: CreateTaskParams, options?: LocatedRequestOptions): Promise<TaskResponse>;
  /** PUT /contacts/{contactId}/tasks/{taskId} (`update-task`). */
  update(contactId: string, taskId: string, input: UpdateTaskBody, options?: LocatedRequestOptions): Promise<TaskResponse>;
  /** PUT /contacts/{contactId}/tasks/{taskId}/completed (`update-task-completed`); `completed` defaults to true. */
  complete(contactId: string, taskId: string, completed?: boolean, options?: LocatedRequestOptions): Promise<TaskResponse>;
  /** DELETE /contacts/{contactId}/tasks/{taskId} (`delete-task`). */
  delete(contactId: string, taskId: string, options?: LocatedRequestOptions): Promise<SucceededResponse>;
}

/**
 * The `tasks` operations.
 *
 * @example
 * const tasks = tasksOperations({ call, locationId });
 * const { task } = await tasks.create(contactId, { title: 'Call back', dueDate: '2026-12-01T10:00:00Z', completed: false });
 * await tasks.complete(contactId, task.id);
 */
export function tasksOperations(ctx: OperationContext): TasksOperations {
  const tasksPath = (contactId: string) => `/contacts/${segment('contactId', contactId)}/tasks`;
  const taskPath = (contactId: string, taskId: string) => `${tasksPath(contactId)}/${segment('taskId', taskId)}`;
  return {
    async list(contactId, options) {
      return invoke(ctx, { operationId: 'get-all-tasks', method: 'GET', path: tasksPath(contactId), idempotent: true, resourceId: pathLocation(ctx, options) }, options);
    },
    async get(contactId, taskId, options) {
      return invoke(ctx, { operationId: 'get-task', method: 'GET', path: taskPath(contactId, taskId), idempotent: true, resourceId: pathLocation(ctx, options) }, options);
    },
    async create(contactId, input, options) {
      return invoke(
        ctx,
        { operationId: 'create-task', method: 'POST', path: tasksPath(contactId), idempotent: false, body: input, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async update(contactId, taskId, input, options) {
      return invoke(
        ctx,
        { operationId: 'update-task', method: 'PUT', path: taskPath(contactId, taskId), idempotent: true, body: input, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async complete(contactId, taskId, completed = true, options) {
      return invoke(
        ctx,
        {
          operationId: 'update-task-completed',
          method: 'PUT',
          path: `${taskPath(contactId, taskId)}/completed`,
          idempotent: true,
          body: { completed },
          resourceId: pathLocation(ctx, options),
        },
        options,
      );
    },
    async delete(contactId, taskId, options) {
      return invoke(ctx, { operationId: 'delete-task', method: 'DELETE', path: taskPath(contactId, taskId), idempotent: true, resourceId: pathLocation(ctx, options) }, options);
    },
  };
}
