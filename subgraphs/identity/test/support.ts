import type { Clock, DatabaseConnection } from '@pgamr/kit';
import { startTestSubgraph, type TestSubgraph, execute, bearer, signIn } from '@pgamr/kit/testing';
import { createIdentitySubgraph, DEFAULT_IDENTITY_SETTINGS, type IdentitySettings } from '../src/server';

export interface IdentityUnderTest {
  subgraph: TestSubgraph;
  logLines: string[];
  /** Runs an operation against the identity subgraph, as a given caller. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): ReturnType<typeof execute<T>>;
  /** The Authorization header of a demo user, freshly signed in. */
  as(code: string, password?: string): Promise<Record<string, string>>;
}

/** The identity subgraph on its own fresh seeded database, with its logs captured. */
export async function startIdentity(
  settings: Partial<IdentitySettings> = {},
  options: { database?: DatabaseConnection; clock?: Clock } = {},
): Promise<IdentityUnderTest> {
  const logLines: string[] = [];
  const subgraph = await startTestSubgraph(createIdentitySubgraph({ ...DEFAULT_IDENTITY_SETTINGS, ...settings }), { logLines, ...options });
  return {
    subgraph,
    logLines,
    gql: (query, variables = {}, headers = {}) => execute(subgraph.url, query, variables, headers),
    as: async (code, password) => bearer(await signIn(subgraph.url, code, password)),
  };
}

export const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;
