/**
 * Each recipe version keeps the text it was saved from (issue 13), so `recipes show` prints what
 * the user wrote, comments included. Null for versions saved before, or saved as a JSON object.
 */
export const sql = `
alter table recipes add column source text;
`;
