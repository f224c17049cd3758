// The kit's testing entry owns these helpers (subgraph tests import them from there); the
// end-to-end tests keep their import path.
export {
  expectIndexReads,
  fullScans,
  generatedId,
  generatedIdSql,
  loadInBulk,
  loggedStatements,
  planned,
  plansOf,
  tablesRead,
  type PlanNode,
  type StatementPlan,
} from '@pgamr/kit/testing';
