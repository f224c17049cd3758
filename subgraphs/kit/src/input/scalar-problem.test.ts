import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { findScalarProblem } from './validate';

// The gateway's view of the kit's scalars: names only, any value accepted by the schema itself.
const schema = buildSchema(`
  scalar DateTime
  scalar Money
  scalar Unknown
  input PeriodInput { from: DateTime!, until: DateTime, amounts: [Money!] }
  type Query { ok: Boolean }
  type Mutation {
    plan(input: PeriodInput!, at: DateTime, other: Unknown): Boolean
  }
`);

const problemOf = (source: string, variables: Record<string, unknown> = {}) => {
  const document = parse(source);
  return findScalarProblem(schema, document, document.definitions[0] as OperationDefinitionNode, variables);
};

describe('findScalarProblem: the kit scalars at the gateway', () => {
  const VALID = { from: '2026-06-30T08:00:00-04:00', until: '2026-07-30T08:00:00Z', amounts: ['125000.50'] };

  it('accepts valid values, in variables and in the document, and scalars the kit does not own', () => {
    expect(problemOf('mutation($input: PeriodInput!) { plan(input: $input, other: "x") }', { input: VALID })).toBeUndefined();
    expect(problemOf('mutation { plan(input: { from: "2026-06-30T08:00:00-04:00" }, at: null) }')).toBeUndefined();
  });

  it('names the argument path of a refused value, whether the variable is the whole input or one field', () => {
    expect(problemOf('mutation($input: PeriodInput!) { plan(input: $input) }', { input: { ...VALID, from: '2026-06-30' } })).toEqual({
      field: 'input.from',
      message: expect.stringMatching(/^Le champ « input\.from » est invalide\. Date et heure invalides/),
    });
    expect(problemOf('mutation($f: DateTime!) { plan(input: { from: $f }) }', { f: '2026-06-30T08:00:00' })?.field).toBe('input.from');
    expect(problemOf('mutation($at: DateTime) { plan(input: { from: "2026-06-30T08:00:00Z" }, at: $at) }', { at: 'demain' })?.field).toBe('at');
  });

  it('checks values written in the document and inside lists', () => {
    expect(problemOf('mutation { plan(input: { from: "hier" }) }')?.field).toBe('input.from');
    expect(problemOf('mutation($input: PeriodInput!) { plan(input: $input) }', { input: { ...VALID, amounts: ['1.00', 1e300] } })?.field).toBe(
      'input.amounts.1',
    );
  });
});
