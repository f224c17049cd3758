import path from 'node:path';
import { unknownRequirementNames, unprotectedFields } from '../src/authorization/coverage';
import { composeSubgraphs, readSubgraphSources } from '../src/compose/compose';

const REPOSITORY = path.resolve(__dirname, '..', '..');

/**
 * The only fields an anonymous caller may reach (R20: anything else states a rule). Each needs a
 * reason; adding one here is a security decision.
 */
const PUBLIC_FIELDS = new Set([
  // R1: signing in is how one stops being anonymous.
  'Mutation.signIn',
  // R6: a short-lived access token is renewed with the single-use refresh token alone.
  'Mutation.refreshSession',
  // The tokens handed out by the two operations above (and by changePassword), in their payloads.
  'SignInPayload.session',
  'RefreshSessionPayload.session',
  'AuthSession.accessToken',
  'AuthSession.accessTokenExpiresAt',
  'AuthSession.refreshToken',
  'AuthSession.refreshTokenExpiresAt',
  'AuthSession.passwordChangeRequired',
]);

/** The supergraph as the subgraphs' SDL composes it now, not as last committed. */
function composedSupergraph(): string {
  const outcome = composeSubgraphs(readSubgraphSources(path.join(REPOSITORY, 'supergraph.yaml')));
  if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
  return outcome.supergraphSdl;
}

const LINKS = `schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/authenticated/v0.1", as: "signedIn", for: SECURITY)
  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
{ query: Query }
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
directive @signedIn on FIELD_DEFINITION | OBJECT
directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
`;

describe('R20: deny by default in the composed supergraph', () => {
  const supergraph = composedSupergraph();

  it('every field reachable from Query or Mutation states a rule, or is listed as public', () => {
    expect(unprotectedFields(supergraph, PUBLIC_FIELDS)).toEqual([]);
  });

  it('every scope and policy the schema names is one the gateway grants', () => {
    expect(unknownRequirementNames(supergraph)).toEqual([]);
  });

  it('reports a field with no rule anywhere on its path, through unions, under the names the supergraph links', () => {
    const sdl = `${LINKS}
      type Query { me: Person @signedIn  open: String  search: Result @requiresScopes(scopes: [["CSE_AGENT"], ["typo"]]) }
      union Result = Person | Note
      type Person @signedIn { name: String }
      type Note { text: String  secret: String @signedIn }`;
    expect(unprotectedFields(sdl, new Set(['Query.open']))).toEqual(['Note.text']);
    expect(unprotectedFields(sdl, new Set())).toEqual(['Note.text', 'Query.open']);
    expect(unknownRequirementNames(sdl)).toEqual(['scope typo']);
  });
});
