import { describe, expect, it } from 'vitest';
import { boundedOperation, ghlRoute } from './index.js';

describe('bounded metric labels', () => {
  it('keeps operation ids and collapses anything id-like to other', () => {
    for (const id of ['upsert-contact', 'get-access-token', 'recruitee.add-note', 'create-task']) expect(boundedOperation(id)).toBe(id);
    for (const id of ['completeTask:app-welcome-42', 'usr_1', 'QDnkk1rI9t8o1Gfq2ak3', 'cand-42', '', undefined, 'a'.repeat(65)]) expect(boundedOperation(id)).toBe('other');
  });

  it('templates every id segment of a GHL path, short ones too', () => {
    expect(ghlRoute('GET', '/contacts/QDnkk1rI9t8o1Gfq2ak3/tasks/t1')).toBe('GET /contacts/{id}/tasks/{id}');
    expect(ghlRoute('PUT', '/contacts/Xy9/tasks/ab12/completed')).toBe('PUT /contacts/{id}/tasks/{id}/completed');
    expect(ghlRoute('POST', '/contacts/upsert?locationId=HI26lm3i2yp1rqrTbkZX')).toBe('POST /contacts/upsert');
    expect(ghlRoute('POST', '/oauth/token')).toBe('POST /oauth/token');
  });
});
