import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const supergraphConfigSchema = z.object({
  federation_version: z
    .string()
    .regex(/^=?2(\.\d+){0,2}$/, 'seule la fédération 2 est prise en charge (ex. « =2.9.0 »)'),
  subgraphs: z.record(
    z.string().regex(/^[a-z][a-z0-9_-]*$/, 'nom de sous-graphe en minuscules'),
    z.object({
      routing_url: z.url(),
      schema: z.object({ file: z.string().min(1) }),
    }),
  ),
});

export interface SubgraphSource {
  name: string;
  routingUrl: string;
  schemaFile: string;
  sdl: string;
}

export type CompositionOutcome =
  | { ok: true; supergraphSdl: string; hints: string[] }
  | { ok: false; errors: string[] };

/** Reads `supergraph.yaml` (rover's format) and the SDL file of every subgraph it names. */
export function readSubgraphSources(configPath: string): SubgraphSource[] {
  const parsed = supergraphConfigSchema.safeParse(parseYaml(readFileSync(configPath, 'utf8')));
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`${configPath} invalide :\n- ${reasons.join('\n- ')}`);
  }
  const baseDir = path.dirname(configPath);
  return Object.entries(parsed.data.subgraphs).map(([name, subgraph]) => {
    const schemaFile = path.resolve(baseDir, subgraph.schema.file);
    return { name, routingUrl: subgraph.routing_url, schemaFile, sdl: readFileSync(schemaFile, 'utf8') };
  });
}

/**
 * Composes the subgraphs with `@apollo/composition`, the library rover itself uses, so that the
 * product never needs the rover binary. Errors and hints name their subgraph.
 */
export function composeSubgraphs(sources: SubgraphSource[]): CompositionOutcome {
  const errors: string[] = [];
  const services = sources.flatMap((source) => {
    try {
      return [{ name: source.name, url: source.routingUrl, typeDefs: parse(source.sdl) }];
    } catch (error) {
      errors.push(`[${source.name}] ${source.schemaFile}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  });
  if (errors.length > 0) return { ok: false, errors };

  const result = composeServices(services);
  if (result.errors) {
    return {
      ok: false,
      errors: result.errors.map((error) => `${codeOf(error.extensions?.code)}: ${error.message}`),
    };
  }
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: result.hints.map((hint) => hint.toString()) };
}

const codeOf = (code: unknown): string => (typeof code === 'string' ? code : 'COMPOSITION_ERROR');
