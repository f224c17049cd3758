import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Kind, OperationTypeNode, parse, print, validate, GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { z } from 'zod';

/** One trusted operation, in Apollo's persisted query manifest format. */
export interface TrustedOperation {
  /** The SHA-256 of `body`, in hex: what a client sends as `persistedQuery.sha256Hash`. */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface TrustedDocumentsManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: TrustedOperation[];
}

/** The id of a document: the hash APQ clients compute over the exact text they send. */
export const operationId = (body: string) => createHash('sha256').update(body).digest('hex');

const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

/** Reads a manifest and checks each id against its body, failing fast (in French) on anything else. */
export async function loadManifest(manifestPath: string): Promise<TrustedDocumentsManifest> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new Error(`Manifeste des opérations de confiance illisible (${manifestPath}): ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`Manifeste des opérations de confiance invalide (${manifestPath}): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const mismatched = parsed.data.operations.filter((operation) => operation.id !== operationId(operation.body));
  if (mismatched.length > 0) {
    throw new Error(`Manifeste des opérations de confiance invalide (${manifestPath}): l'id ne correspond pas au texte de ${mismatched.map((o) => o.name).join(', ')}`);
  }
  return parsed.data;
}

/**
 * The manifest of a front end's documents: one named operation per document, with the
 * fragments it uses, printed canonically so that the client sends the very same text.
 */
export function buildManifest(sources: Array<{ file: string; text: string }>): TrustedDocumentsManifest {
  const operations = sources.map(({ file, text }) => trustedOperation(file, parse(text)));
  const names = new Set<string>();
  for (const { name } of operations) {
    if (names.has(name)) throw new Error(`Deux documents définissent l'opération ${name}.`);
    names.add(name);
  }
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: operations.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/**
 * What is wrong with a front end's documents against the API schema, one French line per error,
 * naming the file and the place: a syntax error, or any rule of GraphQL's validation (a field the
 * schema lacks, an argument of the wrong type, an unused fragment…). Empty when all are valid.
 */
export function invalidOperations(sources: Array<{ file: string; text: string }>, schema: GraphQLSchema): string[] {
  return sources.flatMap(({ file, text }) => {
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch (error) {
      // `parse` throws nothing but GraphQLError (a syntax error).
      if (!(error instanceof GraphQLError)) throw error;
      return [describe(file, error, 'illisible')];
    }
    return validate(schema, document).map((error) => describe(file, error, "invalide contre le schéma de l'API"));
  });
}

function describe(file: string, error: GraphQLError, what: string): string {
  const where = error.locations?.[0];
  return `${file}${where ? `, ligne ${where.line}, colonne ${where.column}` : ''} : opération ${what} — ${error.message}`;
}

function trustedOperation(file: string, document: DocumentNode): TrustedOperation {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (operations.length !== 1 || !operation?.name) {
    throw new Error(`${file}: un document doit définir exactement une opération nommée.`);
  }
  const body = print(document);
  const type = operation.operation === OperationTypeNode.QUERY ? 'query' : operation.operation === OperationTypeNode.MUTATION ? 'mutation' : 'subscription';
  return { id: operationId(body), name: operation.name.value, type, body };
}
