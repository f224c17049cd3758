import { outgoingConnections } from './loopback';

// On the embedded PostgreSQL every subgraph of a stack runs its own PGlite in the test's process,
// on one thread: starting a stack takes twice a server's time, past a minute on a loaded machine.
if (!process.env.TEST_DATABASE_URL) jest.setTimeout(120_000);

afterAll(() => {
  // A connection refused by the guard may be swallowed by the code that tried it: fail here.
  expect(outgoingConnections()).toEqual([]);
});
