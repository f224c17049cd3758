// One base, three tiers (style.md §11): unit tests next to the code, subgraph tests against a
// real database, end-to-end tests against every server over HTTP.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

// graphql-request is published as ES modules only; Jest's CommonJS runtime needs it transformed.
const esmOnlyPackages = ['graphql-request', '@graphql-typed-document-node', 'jose', 'auto-bind'];

const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  setupFiles: ['<rootDir>/tests/support/jest.setup.ts'],
  setupFilesAfterEnv: ['<rootDir>/tests/support/jest.after-env.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  // A global option: Jest ignores it inside `projects`. Embedded databases take seconds to start.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/tests/support/plain-summary-reporter.cjs'],
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{gateway,subgraphs/*}/src/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
    },
    {
      ...base,
      displayName: 'subgraph',
      testMatch: ['<rootDir>/{gateway,subgraphs/*}/test/**/*.test.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/**/*.e2e.ts'],
    },
  ],
};
