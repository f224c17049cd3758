import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { callsSignIn } from './sign-in-operation';

/** Whether the operation named `operationName` (else the first) of `query` calls signIn. */
function signsIn(query: string, operationName?: string): boolean {
  const document = parse(query);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  return callsSignIn(document, operation!);
}

describe('R6: callsSignIn finds sign-in attempts for the strict rate limit', () => {
  it('finds signIn plainly, under an alias, in a fragment and in an inline fragment', () => {
    expect(signsIn('mutation($input: SignInInput!) { signIn(input: $input) { session { accessToken } } }')).toBe(true);
    expect(signsIn('mutation { login: signIn(input: { clicSequrCode: "A", password: "b" }) { session { accessToken } } }')).toBe(true);
    expect(signsIn('mutation { ...F } fragment F on Mutation { x: signIn(input: { clicSequrCode: "A", password: "b" }) { session { accessToken } } }')).toBe(true);
    expect(signsIn('mutation { ... on Mutation { signIn(input: { clicSequrCode: "A", password: "b" }) { session { accessToken } } } }')).toBe(true);
  });

  it('looks only at the operation that runs, and only at the signIn field', () => {
    const twoOperations = 'query Q { __typename } mutation M { signIn(input: { clicSequrCode: "A", password: "b" }) { session { accessToken } } }';
    expect(signsIn(twoOperations, 'Q')).toBe(false);
    expect(signsIn(twoOperations, 'M')).toBe(true);
    expect(signsIn('query { signIn }')).toBe(false);
    expect(signsIn('mutation { signInHelp: refreshSession(input: { refreshToken: "signIn" }) { session { accessToken } } }')).toBe(false);
    expect(signsIn('mutation { ...F } fragment F on Mutation { ...F }')).toBe(false);
  });
});
