/**
 * `npm run codegen`: GraphQL Code Generator's client preset on the portal's operations
 * (`clients/portal/operations/*.graphql`) against the API schema (`schema.graphql`, written by
 * `npm run compose`): typed documents in `clients/portal/generated/`, committed.
 * `tests/portal-client.test.ts` fails when they are stale, and type-checks a client
 * module that uses them (`clients/portal/example.ts`).
 *
 * `PORTAL_CODEGEN_OUT` writes elsewhere (the test regenerates into a temporary folder).
 *
 * The script then writes every subgraph's resolver types from its own schema.graphql
 * (scripts/codegen/resolver-types.ts), which this configuration leaves out.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const out = process.env.PORTAL_CODEGEN_OUT ?? 'clients/portal/generated/';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['clients/portal/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    [out.endsWith('/') ? out : `${out}/`]: {
      preset: 'client',
      // Plain result types: a fragment's fields are read where the operation's are.
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // The v1 scalars travel as JSON strings (money as a decimal string, never a float);
        // a scalar not listed here is `unknown`, so it has to be narrowed before use.
        defaultScalarType: 'unknown',
        scalars: {
          ID: { input: 'string', output: 'string' },
          DateTime: 'string',
          Date: 'string',
          Money: 'string',
          Decimal: 'string',
          EmailAddress: 'string',
          PhoneNumber: 'string',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default config;
