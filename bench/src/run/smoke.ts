import { isDeepStrictEqual } from 'node:util';
import type { PlanNode } from '@apollo/query-planner';
import { checkResponse } from './checks';
import type { GrantState } from './grants';
import type { LoadWorker } from './load-client';
import type { PreparedScenario } from './protocol';
import type { GatewayEndpoint } from './stack';

const SAMPLE = 3;

/**
 * Before any load: a few requests per scenario through every gateway, each checked, and the
 * gateways' answers to the same request compared (a gateway that answers differently is not
 * doing the same work); then the direct client on the same requests. Any failure stops the
 * bench here rather than after twenty minutes of measuring errors.
 */
export async function smokeTest(
  prepared: readonly PreparedScenario[],
  gateways: readonly GatewayEndpoint[],
  worker: LoadWorker,
  subgraphUrls: Record<string, string> | undefined,
  grants: GrantState | undefined,
): Promise<void> {
  const problems: string[] = [];
  for (const { scenario, tokens, items, planned } of prepared) {
    // A mutation's grant is decided once: each gateway gets its own.
    const sample = items.slice(0, scenario.mutation ? gateways.length + 1 : SAMPLE);
    for (const [index, item] of sample.entries()) {
      const answers = new Map<string, unknown>();
      const targets = scenario.mutation ? gateways.slice(index, index + 1) : gateways;
      for (const gateway of targets) {
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[item.token]}` },
          body: JSON.stringify({ operationName: scenario.operationName, query: scenario.query, variables: item.variables }),
        });
        const body = await response.text();
        const check = checkResponse(scenario.name, response.status, body, item.meta);
        if (check.problem) problems.push(`${scenario.name} via ${gateway.name}: ${check.problem}`);
        else answers.set(gateway.name, (JSON.parse(body) as { data: unknown }).data);
      }
      const [first, ...others] = [...answers.entries()];
      for (const [name, data] of others) {
        if (first && !isDeepStrictEqual(first[1], data)) problems.push(`${scenario.name}: ${name} and ${first[0]} answer the same request differently`);
      }
    }
    if (subgraphUrls) {
      const directItems = scenario.mutation ? items.slice(gateways.length, gateways.length + 1) : sample;
      const result = await worker.run({
        scenario: scenario.name,
        connections: 1,
        durationSeconds: 30,
        once: true,
        tokens,
        items: directItems,
        operationName: scenario.operationName,
        query: scenario.query,
        target: { kind: 'direct', plan: planned.plan.node as PlanNode, subgraphUrls },
      });
      if (result.errors > 0) problems.push(`${scenario.name} via direct: ${result.errorSamples.join('; ')}`);
    }
    if (scenario.mutation) await grants?.restore();
  }
  if (problems.length > 0) throw new Error(`smoke test failed:\n- ${problems.join('\n- ')}`);
}
