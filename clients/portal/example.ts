/**
 * A front end's calls to the API with the generated, typed documents (docs/front-end.md): plain
 * `fetch`, no client library. Type-checked with the rest (`npm run typecheck`), and against a
 * freshly generated client by `tests/portal-client.test.ts`.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  DossiersDocument,
  MyOnlineServicesDocument,
  RefreshSessionDocument,
  SignInDocument,
  type DossierSummaryFragment,
  type DossiersQuery,
  type SessionTokensFragment,
} from './generated/graphql';

/** An error as the API sends it (see the error catalog in the README). */
export interface ApiError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: {
    code?: string;
    retryAfterSeconds?: number;
    field?: string;
    paths?: ReadonlyArray<ReadonlyArray<string | number>>;
    requestId?: string;
  };
}

export interface ApiResponse<TResult> {
  /** What was answered: `null` when the whole request was refused, else with `null` where a field was. */
  data: TResult | null;
  errors: ApiError[];
  /** The HTTP status: 200 unless the whole request was refused. */
  status: number;
}

/**
 * Runs one typed operation: its result and variables types come from the document, so a wrong
 * variable or a field the operation does not select is a compile error. The text sent is the
 * document printed, the very body of `clients/portal/trusted-documents.json`.
 */
export async function execute<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  accessToken?: string,
): Promise<ApiResponse<TResult>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: TResult | null; errors?: ApiError[] };
  return { data: body.data ?? null, errors: body.errors ?? [], status: response.status };
}

/** « Bonjour, Isabelle » for the signed-in user, or `null` when refused. */
export async function greeting(endpoint: string, accessToken: string): Promise<string | null> {
  const { data } = await execute(endpoint, MyOnlineServicesDocument, {}, accessToken);
  return data ? `Bonjour, ${data.me.givenName}` : null;
}

/** Every dossier the user may see, page by page (`first`/`after`, `pageInfo`). */
export async function allDossiers(endpoint: string, accessToken: string): Promise<DossierSummaryFragment[]> {
  const dossiers: DossierSummaryFragment[] = [];
  let after: string | null = null;
  for (;;) {
    // Annotated: `after` changes from page to page, so TypeScript cannot infer the loop's types alone.
    const { data, errors }: ApiResponse<DossiersQuery> = await execute(endpoint, DossiersDocument, { first: 50, after }, accessToken);
    if (!data) throw new Error(errors[0]?.message ?? 'Réponse vide.');
    dossiers.push(...data.dossiers.nodes);
    if (!data.dossiers.pageInfo.hasNextPage) return dossiers;
    after = data.dossiers.pageInfo.endCursor;
  }
}

/** Signs in with a clicSÉQUR – Entreprises code; a refusal's code says why (see the error catalog). */
export async function signIn(endpoint: string, clicSequrCode: string, password: string): Promise<SessionTokensFragment> {
  const { data, errors } = await execute(endpoint, SignInDocument, { input: { clicSequrCode, password } });
  if (!data) throw new Error(errors[0]?.extensions?.code ?? 'UNKNOWN');
  return data.signIn.session;
}

/**
 * The session's tokens, renewed a minute before the access token expires: the refresh token works
 * once, so the new pair replaces the old one at once.
 */
export async function freshTokens(endpoint: string, tokens: SessionTokensFragment, now = new Date()): Promise<SessionTokensFragment> {
  if (Date.parse(tokens.accessTokenExpiresAt) - now.getTime() > 60_000) return tokens;
  const { data, errors } = await execute(endpoint, RefreshSessionDocument, { input: { refreshToken: tokens.refreshToken } });
  if (!data) throw new Error(errors[0]?.extensions?.code ?? 'UNKNOWN');
  return data.refreshSession.session;
}
