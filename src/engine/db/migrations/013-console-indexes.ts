/**
 * The operator console's overview: runs by creation time, for the runs-over-time chart
 * (`GET /api/v1/stats/runs`), which groups a range of runs by bucket without scanning older ones.
 */
export const sql = `
create index if not exists runs_created_at on runs (created_at);
`;
