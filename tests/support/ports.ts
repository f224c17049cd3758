// The kit's testing entry owns these helpers (subgraph tests import them from there); the
// end-to-end tests keep their import path.
export { freePort, isListening } from '@pgamr/kit/testing';
