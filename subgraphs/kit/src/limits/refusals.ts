import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { RefusalCode, refusal } from '../errors';

const refusalCodes = new Set<string>(Object.values(RefusalCode));

export const tooManyTokens = (limit: number) =>
  refusal(RefusalCode.TooManyTokens, `L'opération compte plus de ${limit} jetons lexicaux, le maximum permis.`, { limit });

// graphql-js's own message when `parse` stops at `maxLexicalTokens`; the e2e test of the token
// limit fails if a new graphql-js words it otherwise.
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th\w+ (\d+) tokens/;

/**
 * Apollo Server wraps validation and parse errors and overwrites their code with
 * GRAPHQL_VALIDATION_FAILED or GRAPHQL_PARSE_FAILED. A refusal keeps its own stable code and
 * French message, which clients branch on; to run before `maskError`.
 */
export function keepRefusalCode(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (original instanceof GraphQLError && refusalCodes.has(String(original.extensions.code))) {
    const extensions = Object.fromEntries(Object.entries(original.extensions).filter(([key]) => key !== 'http'));
    return { ...formatted, message: original.message, extensions: { ...formatted.extensions, ...extensions } };
  }
  const tokenLimit = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' ? TOKEN_LIMIT_MESSAGE.exec(formatted.message) : null;
  if (tokenLimit) {
    const { message, extensions } = tooManyTokens(Number(tokenLimit[1]));
    return { message, extensions: { code: extensions.code, limit: extensions.limit } };
  }
  return formatted;
}
