import { ClientError, GraphQLClient } from 'graphql-request';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>;
}

/**
 * Sends one operation as a front end would (graphql-request over HTTP) and returns data and
 * errors both, so that tests can assert on partial results and error codes.
 */
export async function execute<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const client = new GraphQLClient(url, { headers, errorPolicy: 'all' });
  try {
    const response = await client.rawRequest<T>(query, variables);
    return { data: response.data, errors: response.errors as GraphQLResponse<T>['errors'] };
  } catch (error) {
    // Requests refused before execution (validation, parsing) come back as HTTP 4xx.
    if (error instanceof ClientError && error.response.errors) {
      return { data: error.response.data as T | undefined, errors: error.response.errors };
    }
    throw error;
  }
}
