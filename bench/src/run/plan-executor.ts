import type { FetchNode, PlanNode, QueryPlanSelectionNode } from '@apollo/query-planner';

type Json = Record<string, unknown>;

/** Sends one subgraph operation and returns its `data`; throws on HTTP or GraphQL errors. */
export type SubgraphSender = (serviceName: string, operation: string, operationName: string | undefined, variables: Json) => Promise<Json>;

/**
 * The least a client can do to get a scenario's answer from the subgraphs: the query plan's
 * fetches, in plan order (a Sequence waits, a Parallel does not), with entity representations
 * built from earlier answers the way @apollo/gateway's executeQueryPlan builds them (one per
 * non-null entity, no deduplication), and answers merged into one tree. No parsing, validation,
 * planning, authorization or response shaping: the floor every gateway sits above.
 */
export async function executePlan(node: PlanNode, variables: Json, send: SubgraphSender): Promise<{ data: Json; calls: number }> {
  const data: Json = {};
  let calls = 0;
  const counted: SubgraphSender = (...args) => {
    calls += 1;
    return send(...args);
  };
  await run(node, [data], variables, counted);
  return { data, calls };
}

async function run(node: PlanNode, entities: unknown[], variables: Json, send: SubgraphSender): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await run(child, entities, variables, send);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => run(child, entities, variables, send)));
      return;
    case 'Flatten':
      return run(node.node, entities.flatMap((entity) => walk(entity, node.path)), variables, send);
    case 'Fetch':
      return fetch(node, entities.filter(isObject), variables, send);
    default:
      throw new Error(`query plan node ${node.kind} is not supported by the direct client`);
  }
}

async function fetch(node: FetchNode, entities: Json[], variables: Json, send: SubgraphSender): Promise<void> {
  if (entities.length === 0) return;
  if (node.inputRewrites?.length || node.outputRewrites?.length || node.contextRewrites?.length) {
    throw new Error(`fetch to ${node.serviceName}: rewrites are not supported by the direct client`);
  }
  const used: Json = {};
  for (const name of node.variableUsages ?? []) if (variables[name] !== undefined) used[name] = variables[name];
  if (!node.requires) {
    const received = await send(node.serviceName, node.operation, node.operationName, used);
    for (const entity of entities) deepMerge(entity, received);
    return;
  }
  const representations: Json[] = [];
  const owners: Json[] = [];
  for (const entity of entities) {
    const representation = select(entity, node.requires);
    if (representation && typeof representation.__typename === 'string') {
      representations.push(representation);
      owners.push(entity);
    }
  }
  if (representations.length === 0) return;
  const received = await send(node.serviceName, node.operation, node.operationName, { ...used, representations });
  const resolved = received._entities;
  if (!Array.isArray(resolved) || resolved.length !== representations.length) {
    throw new Error(`fetch to ${node.serviceName}: _entities does not match the representations sent`);
  }
  resolved.forEach((entity, index) => {
    if (isObject(entity)) deepMerge(owners[index]!, entity);
  });
}

/** The values at `path` below `value`, `@` stepping into every element of a list. */
function walk(value: unknown, path: readonly (string | number)[]): unknown[] {
  let current: unknown[] = [value];
  for (const step of path) {
    current = current.flatMap((item) => {
      if (step === '@') return Array.isArray(item) ? (item as unknown[]) : [];
      return isObject(item) && item[step] !== undefined && item[step] !== null ? [item[step]] : [];
    });
  }
  return current.flatMap((item) => (Array.isArray(item) ? (item as unknown[]) : [item]));
}

/** An entity's representation: the `requires` selection applied to what is known of it. */
function select(entity: Json, selections: readonly QueryPlanSelectionNode[]): Json | undefined {
  const result: Json = {};
  for (const selection of selections) {
    if (selection.kind === 'InlineFragment') {
      if (selection.typeCondition && entity.__typename !== selection.typeCondition) continue;
      const inner = select(entity, selection.selections);
      if (!inner) return undefined;
      Object.assign(result, inner);
      continue;
    }
    const name = selection.alias ?? selection.name;
    const value = entity[name];
    if (value === undefined) return undefined;
    if (!selection.selections || value === null) {
      result[name] = value;
    } else if (Array.isArray(value)) {
      const selections = selection.selections;
      result[name] = (value as unknown[]).map((item) => (isObject(item) ? select(item, selections) : item));
    } else if (isObject(value)) {
      result[name] = select(value, selection.selections);
    }
  }
  return result;
}

function deepMerge(target: Json, source: Json): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isObject(existing) && isObject(value)) {
      deepMerge(existing, value);
    } else if (Array.isArray(existing) && Array.isArray(value) && existing.length === value.length) {
      const targets = existing as unknown[];
      (value as unknown[]).forEach((item, index) => {
        const current = targets[index];
        if (isObject(current) && isObject(item)) deepMerge(current, item);
        else targets[index] = item;
      });
    } else {
      target[key] = value;
    }
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
