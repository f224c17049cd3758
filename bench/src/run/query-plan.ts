import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { parse } from 'graphql';

/** One scenario's query plan, as @apollo/gateway 2.14 builds it for the same supergraph. */
export interface PlannedOperation {
  plan: QueryPlan;
  /** Subgraph fetches in the plan (each is one call, made when it has entities to resolve). */
  fetches: number;
  /** The plan's shape in one line: `Sequence(identity, Parallel(services, identity))`. */
  outline: string;
}

/**
 * Plans operations with the query planner @apollo/gateway uses, through its documented API
 * (`QueryPlanner.buildQueryPlan` on `operationFromDocument` of the API schema), so the direct
 * client replays exactly the subgraph calls a gateway makes.
 */
export function createPlanner(supergraphSdl: string): (query: string, operationName: string) => PlannedOperation {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  const planner = new QueryPlanner(supergraph);
  return (query, operationName) => {
    const operation = operationFromDocument(apiSchema, parse(query), { operationName });
    const plan = planner.buildQueryPlan(operation);
    if (!plan.node) throw new Error(`${operationName}: empty query plan`);
    if (plan.node.kind === 'Subscription') throw new Error(`${operationName}: subscriptions are not benchmarked`);
    return { plan: stripDocuments(plan), fetches: countFetches(plan.node), outline: outline(plan.node) };
  };
}

function countFetches(node: PlanNode): number {
  switch (node.kind) {
    case 'Fetch':
      return 1;
    case 'Flatten':
      return countFetches(node.node);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.reduce((sum, child) => sum + countFetches(child), 0);
    default:
      throw new Error(`query plan node ${node.kind} is not supported by the bench`);
  }
}

function outline(node: PlanNode): string {
  switch (node.kind) {
    case 'Fetch':
      return node.serviceName;
    case 'Flatten':
      return outline(node.node);
    case 'Sequence':
    case 'Parallel':
      return `${node.kind}(${node.nodes.map(outline).join(', ')})`;
    default:
      return node.kind;
  }
}

/** The plan travels to the load worker as JSON: parsed subgraph documents are dead weight there. */
function stripDocuments(plan: QueryPlan): QueryPlan {
  return JSON.parse(JSON.stringify(plan, (key, value: unknown) => (key === 'operationDocumentNode' ? undefined : value))) as QueryPlan;
}
