import type { ApolloGateway, SupergraphManager } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Authentication } from '@pgamr/kit/auth';
import { domainError } from '@pgamr/kit/errors';
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../auth/gateway-context';
import { Denial, denialOf } from './requirements';
import { fieldKey, readAuthorizationRules, withoutSecurityFeatures, type AuthorizationRules, type Requirement } from './schema-policies';

/** A selected field the caller may not have, by response path (aliases, no list indices). */
export interface DeniedSelection {
  path: string[];
  denial: Denial;
}

const SEVERITY: readonly Denial[] = [Denial.Unauthenticated, Denial.PasswordChangeRequired, Denial.Forbidden];

type SupergraphHooks = Parameters<SupergraphManager['initialize']>[0];

/**
 * Enforces `@authenticated`, `@requiresScopes` and `@policy` of the supergraph (R20), which
 * `@apollo/gateway` ignores (and refuses to load). It reads the rules from each supergraph the
 * gateway loads, hands the gateway a copy without them, and checks every operation once it is
 * resolved and before the gateway plans it, so a refused operation never reaches a subgraph.
 * The whole operation is refused, never trimmed: a client gets either everything it asked for
 * or one error naming every refused path in `extensions.paths`. The subgraphs still check each
 * record (defense in depth).
 */
export class SchemaAuthorization {
  private readonly rulesBySchema = new WeakMap<GraphQLSchema, AuthorizationRules>();
  /**
   * Apollo Server hands every request of the same text the same parsed operation (its document
   * store), so the walk through the operation is done once per operation and schema; only the
   * caller's token is looked at per request.
   */
  private readonly guardedBySchema = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, GuardedSelection[]>>();
  private loading?: { supergraphSdl: string; rules: AuthorizationRules };

  /** The supergraph source to give the gateway, in place of `source`, hot reloads included. */
  supergraph(source: SupergraphManager): SupergraphManager {
    const prepare = (supergraphSdl: string): string => {
      const rules = readAuthorizationRules(supergraphSdl);
      this.loading = { supergraphSdl: withoutSecurityFeatures(supergraphSdl), rules };
      return this.loading.supergraphSdl;
    };
    return {
      initialize: async (hooks: SupergraphHooks) => {
        const initial = await source.initialize({ ...hooks, update: (supergraphSdl) => hooks.update(prepare(supergraphSdl)) });
        return { ...initial, supergraphSdl: prepare(initial.supergraphSdl) };
      },
    };
  }

  /** The Apollo Server plugin that refuses what the caller may not have. */
  plugin(gateway: ApolloGateway): ApolloServerPlugin<GatewayContext> {
    // The gateway adopts a supergraph synchronously within `update`, or keeps the previous one.
    // Rules are kept per API schema, so that an operation resolved against a schema is checked
    // against that schema's rules, even while a reload swaps them.
    gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      if (this.loading?.supergraphSdl === coreSupergraphSdl) this.rulesBySchema.set(apiSchema, this.loading.rules);
    });
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ schema, document, operation, contextValue }) => {
          // Deny by default: without the rules of the schema in use, nothing is served.
          const rules = this.rulesBySchema.get(schema);
          if (!rules) throw new Error('authorization rules of the current supergraph are unknown');
          // Apollo Server has refused an operation it could not resolve before this hook.
          if (!operation) return;
          const denied = evaluate(this.guarded(schema, document, operation, rules), contextValue.auth);
          if (denied.length > 0) throw refusal(denied);
        },
      }),
    };
  }

  /**
   * The refusal of an operation the gateway runs outside Apollo Server (a subscription, see
   * live/), by the same rules as the plugin's; undefined when the caller may have all of it.
   */
  refusalOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, auth: Authentication): GraphQLError | undefined {
    const rules = this.rulesBySchema.get(schema);
    if (!rules) throw new Error('authorization rules of the current supergraph are unknown');
    const denied = evaluate(this.guarded(schema, document, operation, rules), auth);
    return denied.length > 0 ? refusal(denied) : undefined;
  }

  private guarded(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, rules: AuthorizationRules): GuardedSelection[] {
    let byOperation = this.guardedBySchema.get(schema);
    if (!byOperation) this.guardedBySchema.set(schema, (byOperation = new WeakMap()));
    let guarded = byOperation.get(operation);
    if (!guarded) byOperation.set(operation, (guarded = guardedSelections(schema, document, operation, rules)));
    return guarded;
  }
}

/**
 * A selected field that carries rules, with the guarded fields below it. Fields without rules
 * are folded away: only what can refuse remains to be evaluated per request.
 */
interface GuardedSelection {
  path: string[];
  requirements: Requirement[];
  below: GuardedSelection[];
}

/**
 * Every selected field whose schema rules the caller does not meet, through fragments and inline
 * fragments. `@skip`/`@include` are not looked at: the answer does not depend on variables.
 * Below a refused field nothing more is reported.
 */
export function deniedSelections(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rules: AuthorizationRules,
  auth: Authentication,
): DeniedSelection[] {
  return evaluate(guardedSelections(schema, document, operation, rules), auth);
}

function evaluate(guarded: GuardedSelection[], auth: Authentication): DeniedSelection[] {
  const denied = new Map<string, DeniedSelection>();
  const visit = (selections: GuardedSelection[]) => {
    for (const selection of selections) {
      const denial = worstDenial(selection.requirements, auth);
      if (denial) denied.set(selection.path.join('.'), { path: selection.path, denial });
      else visit(selection.below);
    }
  };
  visit(guarded);
  return [...denied.values()];
}

/** The rules an operation meets, whoever calls: what the plugin keeps per parsed operation. */
export function guardedSelections(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rules: AuthorizationRules,
): GuardedSelection[] {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );

  const visit = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, path: string[], spread: ReadonlySet<string>): GuardedSelection[] => {
    const guarded: GuardedSelection[] = [];
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const fieldName = selection.name.value;
        // __typename and introspection carry no data of ours; unions have no other field.
        if (fieldName.startsWith('__') || !(isObjectType(parentType) || isInterfaceType(parentType))) continue;
        const field = parentType.getFields()[fieldName];
        if (!field) continue;
        const fieldPath = [...path, selection.alias?.value ?? fieldName];
        const returnType = getNamedType(field.type);
        const requirements = requirementsOfField(schema, rules, parentType, fieldName, returnType);
        const below = selection.selectionSet && isCompositeType(returnType) ? visit(selection.selectionSet, returnType, fieldPath, spread) : [];
        if (requirements.length > 0) guarded.push({ path: fieldPath, requirements, below });
        else guarded.push(...below);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (isCompositeType(condition)) guarded.push(...visit(selection.selectionSet, condition, path, spread));
      } else {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && !spread.has(fragment.name.value) && isCompositeType(condition)) {
          guarded.push(...visit(fragment.selectionSet, condition, path, new Set([...spread, fragment.name.value])));
        }
      }
    }
    return guarded;
  };

  const root = schema.getRootType(operation.operation);
  return root ? visit(operation.selectionSet, root, [], new Set()) : [];
}

/**
 * A field's own rules, its type's, and those of the type it returns. On an interface, those of
 * every implementation too: the gateway cannot know statically which one will answer.
 */
function requirementsOfField(
  schema: GraphQLSchema,
  rules: AuthorizationRules,
  parentType: GraphQLCompositeType,
  fieldName: string,
  returnType: GraphQLNamedType,
): Requirement[] {
  const owners = isInterfaceType(parentType) ? [parentType, ...schema.getPossibleTypes(parentType)] : [parentType];
  return [
    ...owners.flatMap((owner) => [...(rules.fields.get(fieldKey(owner.name, fieldName)) ?? []), ...(rules.types.get(owner.name) ?? [])]),
    ...(rules.types.get(returnType.name) ?? []),
  ];
}

function worstDenial(requirements: Requirement[], auth: Authentication): Denial | undefined {
  const denials = new Set(requirements.map((requirement) => denialOf(requirement, auth)));
  return SEVERITY.find((denial) => denials.has(denial));
}

const HTTP_STATUS: Record<Denial, number> = {
  // As the edge answers a token that does not verify: the whole request is refused.
  [Denial.Unauthenticated]: 401,
  [Denial.PasswordChangeRequired]: 403,
  [Denial.Forbidden]: 403,
};

/** One error for the operation, with the most fundamental reason and every refused path. */
function refusal(denied: DeniedSelection[]): GraphQLError {
  const denial = SEVERITY.find((candidate) => denied.some((selection) => selection.denial === candidate));
  if (denial === undefined) throw new Error('refusal() needs at least one denied selection');
  const paths = denied.map((selection) => selection.path);
  const listed = paths.map((path) => path.join('.')).join(', ');
  const message = {
    [Denial.Unauthenticated]: `Vous devez vous authentifier pour obtenir : ${listed}.`,
    [Denial.PasswordChangeRequired]: 'Vous devez choisir un mot de passe personnel avant de poursuivre.',
    [Denial.Forbidden]: `Vous n'avez pas l'autorisation d'obtenir : ${listed}.`,
  }[denial];
  return domainError(denial, message, { paths, http: { status: HTTP_STATUS[denial] } });
}
