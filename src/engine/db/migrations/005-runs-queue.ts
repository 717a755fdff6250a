/** The runs table is the queue (placeholder: filled by the queue change). */
export const sql = `select 1`;
