/**
 * What each sealed value is bound to (the AES-GCM additional data): a value copied to another row
 * does not open there.
 */
export const connectionContext = (id: string): string => `connection:${id}`;
export const tokenContext = (key: string): string => `oauth-token:${key}`;
