// The kit's testing entry owns these helpers (subgraph tests import them from there); the
// end-to-end tests keep their import path.
export { bearer, DEMO_PASSWORD, signIn, signInAll, type Tokens } from '@pgamr/kit/testing';
