/**
 * An event whose payload held characters PostgreSQL cannot store (NUL, a lone surrogate) keeps
 * them here, as the JSON text with those characters escaped; its `payload` has them replaced.
 */
export const sql = `
alter table events add column original_payload text;
`;
