import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { validateBody } from './validation.js';

function messages(schema: string, body: unknown): string[] {
  try {
    validateBody(schema, body);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const e = error as ApiError;
    expect(e.status).toBe(422);
    expect(e.body.error).toBe('Unprocessable Entity');
    return e.body.message as string[];
  }
}

describe('request validation', () => {
  it('accepts a valid create body', () => {
    expect(messages('CreateContactDto', { locationId: 'L1', email: 'a@b.co', tags: ['x'], firstName: null })).toEqual([]);
  });

  it('refuses unknown properties by name, like forbidNonWhitelisted', () => {
    expect(messages('UpdateContactDto', { gender: 'male' })).toEqual(['property gender should not exist']);
    expect(messages('CreateContactDto', { locationId: 'L', dndSettings: { Call: { status: 'active', extra: 1 } } })).toEqual([
      'property dndSettings.Call.extra should not exist',
    ]);
  });

  it('names every wrong field at once', () => {
    const m = messages('CreateTaskParams', { title: 5, completed: 'yes' });
    expect(m).toContain('title must be a string');
    expect(m).toContain('completed must be a boolean value');
    expect(m).toContain('dueDate should not be empty');
    expect(messages('TagsDTO', { tags: ['ok', 3] })).toEqual(['each value in tags must be a string']);
    expect(messages('CreateContactDto', { locationId: 'L', dndSettings: { SMS: { status: 'maybe' } } })).toEqual([
      'dndSettings.SMS.status must be one of the following values: active, inactive, permanent',
    ]);
  });

  it('validates the search body of the overlay', () => {
    expect(messages('SearchBodyV2DTO', { locationId: 'L', pageLimit: 10, filters: [{ field: 'email', operator: 'eq', value: 'x' }] })).toEqual([]);
    expect(messages('SearchBodyV2DTO', { locationId: 'L' })).toEqual(['pageLimit should not be empty']);
    expect(messages('SearchBodyV2DTO', { locationId: 'L', pageLimit: 100000 })).toEqual(['pageLimit must not be greater than 500']);
    expect(messages('SearchBodyV2DTO', { locationId: 'L', pageLimit: 1, filters: [{ field: 'email', operator: 'like' }] })).toEqual([
      'filters is not valid',
    ]);
  });

  it('takes custom fields by id or key', () => {
    expect(messages('UpsertContactDto', { locationId: 'L', customFields: [{ key: 'k', field_value: 'v' }] })).toEqual([]);
    expect(messages('UpsertContactDto', { locationId: 'L', customFields: [{ field_value: 'v' }] })).toEqual(['customFields is not valid']);
  });
});
