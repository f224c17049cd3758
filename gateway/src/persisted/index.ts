import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import type { GatewayContext } from '../auth/gateway-context';
import type { PersistedOperationsConfig } from './config';
import { loadManifest } from './manifest';
import { manifestQueryCache, trustedDocumentsPlugin } from './trusted-documents';

export { readPersistedOperations, type PersistedOperationsConfig, type PersistedOperationsMode } from './config';

export interface PersistedOperations {
  persistedQueries: PersistedQueryOptions | false;
  plugins: ApolloServerPlugin<GatewayContext>[];
}

/**
 * Apollo's `persistedQueries` and plugins for the configured mode. In `trusted` mode the
 * manifest is read now, so that a missing or tampered manifest stops the start.
 */
export async function persistedOperations(
  config: PersistedOperationsConfig,
  mayIntrospect: (context: GatewayContext) => boolean,
): Promise<PersistedOperations> {
  switch (config.mode) {
    case 'off':
      return { persistedQueries: false, plugins: [] };
    case 'apq':
      // Apollo's in-memory LRU cache, bounded in size; an evicted query is registered again.
      return { persistedQueries: { ttl: config.apqTtlSeconds }, plugins: [] };
    case 'trusted': {
      const manifest = await loadManifest(config.manifestPath);
      return {
        persistedQueries: { cache: manifestQueryCache(manifest), ttl: null },
        plugins: [trustedDocumentsPlugin(manifest, mayIntrospect)],
      };
    }
  }
}
