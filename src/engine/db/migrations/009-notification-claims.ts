/**
 * The notifier's claims (issue 12): a sender takes a due notification by writing its own token in
 * `claimed_by` and moving `next_at` past the send's timeout (a lease), outside any transaction, so
 * a channel that is slow or down never holds a lock; only the holder of the claim may mark it sent
 * or failed, so two senders never deliver it twice.
 */
export const sql = `
alter table notifications add column claimed_by text;
`;
