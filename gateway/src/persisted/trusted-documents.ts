import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../auth/gateway-context';
import { refusal, RefusalCode } from '@pgamr/kit/errors';
import type { TrustedDocumentsManifest } from './manifest';

type QueryCache = NonNullable<PersistedQueryOptions['cache']>;

/**
 * The manifest as Apollo's persisted query store, read-only: a client sends a trusted
 * operation by its id alone (APQ protocol), and registering any other text stores nothing.
 */
export function manifestQueryCache(manifest: TrustedDocumentsManifest): QueryCache {
  const bodies = new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
  return {
    // Apollo prefixes the keys (`apq:<hash>`); an id is hex, so it is what follows the last colon.
    get: async (key) => bodies.get(key.slice(key.lastIndexOf(':') + 1)),
    set: async () => undefined,
    delete: async () => false,
  };
}

/**
 * Trusted-documents mode: only the manifest's operations run. Apollo has hashed the text by now
 * (or found it by its id), so the check is a lookup; the parse and the limits that ran before
 * it bound what an unknown document costs. Callers allowed to introspect may still send a
 * document made of introspection fields only, for their tools.
 */
export function trustedDocumentsPlugin(
  manifest: TrustedDocumentsManifest,
  mayIntrospect: (context: GatewayContext) => boolean,
): ApolloServerPlugin<GatewayContext> {
  const trusted = new Set(manifest.operations.map((operation) => operation.id));
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ queryHash, operation, contextValue }) {
          if (trusted.has(queryHash)) return;
          if (operation && isIntrospectionOnly(operation) && mayIntrospect(contextValue)) return;
          throw refusal(
            RefusalCode.PersistedQueryNotAllowed,
            "Cette opération n'est pas parmi les opérations autorisées du portail.",
          );
        },
      };
    },
  };
}

function isIntrospectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every(
    (selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'),
  );
}
