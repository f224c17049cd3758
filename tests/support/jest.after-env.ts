import { outgoingConnections } from './loopback';

afterAll(() => {
  // A connection refused by the guard may be swallowed by the code that tried it: fail here.
  expect(outgoingConnections()).toEqual([]);
});
