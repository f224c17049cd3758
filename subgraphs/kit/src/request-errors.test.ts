import { buildSchema, GraphQLError, graphql, type GraphQLFormattedError } from 'graphql';
import { formatPublicError } from './request-errors';
import { DateScalar, MoneyScalar } from './scalars';

describe('formatPublicError', () => {
  it("turns Apollo's uncoded 4xx refusals into BAD_REQUEST, in French", () => {
    const mismatch = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });
    expect(formatPublicError({ message: mismatch.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, mismatch)).toEqual({
      message: "L'empreinte sha256Hash de la requête persistée ne correspond pas au texte de l'opération.",
      extensions: { code: 'BAD_REQUEST' },
    });
    const other = new GraphQLError('Something else', { extensions: { http: { status: 400 } } });
    expect(formatPublicError({ message: other.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, other)).toEqual({
      message: 'La requête est invalide.',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('still masks an uncoded error without a 4xx status', () => {
    const crash = new GraphQLError('connect ECONNREFUSED 10.0.0.5');
    expect(formatPublicError({ message: crash.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, crash).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});

describe('a variable of the wrong type', () => {
  const schema = buildSchema(`
    scalar Money
    scalar Date
    input AmountInput { requestedAmount: Money!, startsOn: Date }
    type Query { amount(input: AmountInput!): Money, day(on: Date!): Date }
  `);
  Object.assign(schema.getType('Money')!, { serialize: MoneyScalar.serialize, parseValue: MoneyScalar.parseValue, parseLiteral: MoneyScalar.parseLiteral });
  Object.assign(schema.getType('Date')!, { serialize: DateScalar.serialize, parseValue: DateScalar.parseValue, parseLiteral: DateScalar.parseLiteral });
  const refusalOf = async (source: string, variableValues: Record<string, unknown>): Promise<GraphQLFormattedError | undefined> => {
    const { errors } = await graphql({ schema, source, variableValues });
    const error = errors?.[0];
    // Apollo Server marks a variable that does not coerce BAD_USER_INPUT before formatError.
    return error ? formatPublicError({ ...error.toJSON(), extensions: { code: 'BAD_USER_INPUT' } }, error) : undefined;
  };

  it("answers the type's French reason and the input's path, never the value sent", async () => {
    const refusal = await refusalOf('query($input: AmountInput!) { amount(input: $input) }', { input: { requestedAmount: 125000.5 } });
    expect(refusal).toMatchObject({ message: expect.stringMatching(/^Montant invalide/), extensions: { code: 'BAD_USER_INPUT', field: 'input.requestedAmount' } });
    const day = await refusalOf('query($on: Date!) { day(on: $on) }', { on: '2026-02-30 secret' });
    expect(day).toMatchObject({ message: expect.stringMatching(/^Date invalide/), extensions: { code: 'BAD_USER_INPUT', field: 'on' } });
    expect(JSON.stringify(day)).not.toContain('secret');
  });
});
