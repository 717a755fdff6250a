import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';

/**
 * Asks for a single-use GHL OAuth connect link (for a new location, or to re-authorize one) and
 * opens it in a new tab: the person consents in HighLevel, the server stores the tokens.
 */
export function useConnectLink() {
  return useMutation({
    mutationFn: async (connectionId?: string) => {
      const link = await unwrap(api.POST('/api/v1/connect/ghl', { body: connectionId ? { connectionId } : {} }));
      window.open(link.url, '_blank', 'noopener');
      return link;
    },
  });
}
