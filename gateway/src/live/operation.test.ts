import { buildSchema, GraphQLError, parse, validate } from 'graphql';
import type { Authentication } from '@pgamr/kit/auth';
import { prepareLiveOperation, type LiveOperation, type LiveOperationChecks } from './operation';

const schema = buildSchema(`
  type Query { notification(id: ID!): Notification me: String }
  type Subscription { notifications: Notification! other: String }
  type Notification { id: ID! type: String! readAt: String }
`);
const auth: Authentication = {
  status: 'authenticated',
  token: 't',
  viewer: { userId: 'u', organizationId: 'o', roles: [], sessionId: 's', passwordChangeRequired: false },
};
const checks: LiveOperationChecks = {
  schema: () => schema,
  parseOptions: { maxTokens: 1_000 },
  validationRules: [],
  refusalOf: () => undefined,
  maySeeSchema: () => false,
};

const prepared = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  prepareLiveOperation({ query, variables, operationName }, auth, checks);
const codes = (result: LiveOperation | { errors: GraphQLError[] }) => ('errors' in result ? result.errors.map((error) => error.extensions.code) : []);

describe('a subscription becomes the query the gateway runs for each notification', () => {
  it('keeps the response key, the selection, the fragments and the variables, and adds the id', () => {
    const result = prepared(
      'subscription Live($withRead: Boolean!) { mine: notifications { ...N readAt @include(if: $withRead) } } fragment N on Notification { id type }',
      { withRead: true },
    );
    if ('errors' in result) throw new Error(JSON.stringify(result.errors));
    expect(result.variables).toEqual({ withRead: true });
    expect(validate(schema, parse(result.query))).toEqual([]);
    expect(result.query).toContain(`mine: notification(id: $${result.idVariable})`);
    expect(result.query).toContain('fragment N on Notification');
  });

  it('picks an id variable the subscription does not use', () => {
    const result = prepared('subscription($notificationId: Boolean!) { notifications { id readAt @include(if: $notificationId) } }', { notificationId: false });
    if ('errors' in result) throw new Error(JSON.stringify(result.errors));
    expect(result.idVariable).not.toBe('notificationId');
    expect(validate(schema, parse(result.query))).toEqual([]);
  });
});

describe('what is refused before a stream starts', () => {
  it('a query or a mutation is sent to POST /graphql', () => {
    expect(codes(prepared('{ me }'))).toEqual(['BAD_REQUEST']);
  });

  it('only the fields the gateway streams', () => {
    expect(codes(prepared('subscription { other }'))).toEqual(['BAD_REQUEST']);
  });

  it('a text that does not parse, a field that does not exist (without suggestions for a caller who may not see the schema)', () => {
    expect(codes(prepared('subscription {'))).toEqual(['GRAPHQL_PARSE_FAILED']);
    const unknown = prepared('subscription { notifications { idd } }');
    expect(codes(unknown)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect('errors' in unknown && unknown.errors[0]?.message).not.toContain('Did you mean');
  });

  it('variables that do not fit their types', () => {
    expect(codes(prepared('subscription($x: Boolean!) { notifications { readAt @include(if: $x) } }', { x: 'oui' }))).toEqual(['BAD_USER_INPUT']);
  });

  it("the schema's authorization refuses as for a query", () => {
    const refusing = { ...checks, refusalOf: () => new GraphQLError('non', { extensions: { code: 'FORBIDDEN' } }) };
    expect(codes(prepareLiveOperation({ query: 'subscription { notifications { id } }' }, auth, refusing))).toEqual(['FORBIDDEN']);
  });
});
