import type { ApolloServerPlugin } from '@apollo/server';
import { IdentityRole, type Authentication } from '@pgamr/kit/auth';
import { BREAK, visit, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../auth/gateway-context';
import type { IntrospectionPolicy } from './config';
import { refusal, RefusalCode } from '@pgamr/kit/errors';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);
// graphql-js appends its suggestions to validation messages: `… Did you mean "title"?`.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** May this caller see the schema? Staff must be signed in with their personal password. */
export function mayIntrospect(policy: IntrospectionPolicy, auth: Authentication): boolean {
  if (policy !== 'staff') return policy === 'on';
  return (
    auth.status === 'authenticated' &&
    !auth.viewer.passwordChangeRequired &&
    auth.viewer.roles.includes(IdentityRole.MinistryStaff)
  );
}

/** Apollo Server reuses the parsed document of a known operation: walk each one once. */
const introspectionByDocument = new WeakMap<DocumentNode, boolean>();

export function asksForIntrospection(document: DocumentNode): boolean {
  let found = introspectionByDocument.get(document);
  if (found !== undefined) return found;
  found = false;
  visit(document, {
    Field(field) {
      if (!INTROSPECTION_FIELDS.has(field.name.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  introspectionByDocument.set(document, found);
  return found;
}

/**
 * Introspection and field suggestions per caller. Apollo's own `introspection` flag is one
 * switch for everyone, so it stays on and this plugin decides once the caller is known: the
 * schema of an API shared by several ministries (R23) is no business of anonymous callers.
 */
export function introspectionPolicyPlugin(policy: IntrospectionPolicy): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (mayIntrospect(policy, contextValue.auth)) return;
      return {
        async didResolveOperation({ document }) {
          if (asksForIntrospection(document)) {
            throw refusal(RefusalCode.IntrospectionNotAllowed, "L'introspection du schéma n'est pas permise.");
          }
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            // Apollo reads the message when it formats the response, after this hook.
            error.message = error.message.replace(SUGGESTION, '');
          }
        },
      };
    },
  };
}
