import { existsSync, readFileSync } from 'node:fs';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { z } from 'zod';
import { apiSchemaOf } from './api-schema';

/** The file, next to `supergraph.yaml`, where a breaking change is accepted on the record. */
export const ACCEPTED_CHANGES_FILE = 'schema-changes.accepted.json';

const acceptedChangesSchema = z.array(
  z.object({
    change: z.string().min(1),
    reason: z.string().min(1),
    acceptedBy: z.string().min(1),
  }),
);

export type AcceptedChange = z.infer<typeof acceptedChangesSchema>[number];

export interface SchemaChangeReport {
  /** Breaking changes no entry of the accepted file covers: they fail `compose` and `compose:check`. */
  unaccepted: Change[];
  /** Breaking changes an entry of the accepted file covers. */
  accepted: Change[];
  /** Changes that can alter what existing clients get (new enum value, default changed…): warnings. */
  dangerous: Change[];
}

/** Reads the accepted breaking changes; a missing file accepts nothing. */
export function readAcceptedChanges(file: string): AcceptedChange[] {
  if (!existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} invalide : ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = acceptedChangesSchema.safeParse(json);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`${file} invalide (attendu : [{ "change", "reason", "acceptedBy" }]) :\n- ${reasons.join('\n- ')}`);
  }
  return parsed.data;
}

/**
 * Compares what clients see — the API schema, without the join__/link machinery of the
 * supergraph, whose changes (a new subgraph, a field moving between subgraphs) are invisible to
 * them — of the previous supergraph with the newly composed one.
 */
export async function compareSupergraphs(
  previousSupergraphSdl: string,
  nextSupergraphSdl: string,
  acceptedChanges: AcceptedChange[],
): Promise<SchemaChangeReport> {
  const changes = await diff(apiSchemaOf(previousSupergraphSdl), apiSchemaOf(nextSupergraphSdl));
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  const isAccepted = (change: Change) =>
    acceptedChanges.some((entry) => entry.change === change.message || entry.change === change.path);
  return {
    unaccepted: breaking.filter((change) => !isAccepted(change)),
    accepted: breaking.filter(isAccepted),
    dangerous: changes.filter((change) => change.criticality.level === CriticalityLevel.Dangerous),
  };
}
