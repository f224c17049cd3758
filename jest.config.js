// One base, three tiers (style.md §11): unit tests next to the code, subgraph tests against a
// real database, end-to-end tests against every server over HTTP.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config file
const { availableParallelism } = require('node:os');

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

// graphql-request (and faker, which the bench's data generator uses) are published as ES modules
// only; Jest's CommonJS runtime needs them transformed.
const esmOnlyPackages = ['graphql-request', '@graphql-typed-document-node', 'jose', 'auto-bind', '@faker-js/faker'];

// The tiers on a database start every subgraph from databases migrated and seeded once per run.
const templates = {
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
};

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
  // Global options: Jest ignores them inside `projects`. The time-out bounds each test and each
  // hook: a stack's start in a beforeAll fails first, naming what it waits for (tests/support/timeouts.ts).
  testTimeout: 180_000,
  // Jest's default on 2 cores is one worker, which it runs inside its own process: one file at a
  // time while the others wait for a database or a server, and a handle left open keeps Jest alive.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  reporters: ['default', '<rootDir>/tests/support/plain-summary-reporter.cjs'],
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{gateway,subgraphs/*}/src/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
    },
    {
      ...base,
      ...templates,
      displayName: 'subgraph',
      testMatch: ['<rootDir>/{gateway,subgraphs/*}/test/**/*.test.ts'],
    },
    {
      ...base,
      ...templates,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/**/*.e2e.ts'],
    },
  ],
};
