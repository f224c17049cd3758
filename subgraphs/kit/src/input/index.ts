import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { badUserInput } from '../errors';
import { TextRules } from './constraints';
import { fieldsTakingKitScalars, findInputProblem, scalarProblemIn, type FieldTakingKitScalars } from './validate';

export {
  CONSTRAINT_DIRECTIVE,
  CONSTRAINT_DIRECTIVE_SDL,
  DEFAULT_TEXT_MAX_LENGTH,
  ID_MAX_LENGTH,
  describeTextInputs,
  TextRules,
  type TextInput,
} from './constraints';
export { findInputProblem, findScalarProblem, type InputProblem } from './validate';
export { isDate, isDateTime, textProblem, TEXT_FORMATS, type TextFormat, type TextRule } from './text';

/**
 * The input validation layer of a subgraph: before any resolver runs, every argument of every
 * field the operation selects (variables, nested input objects and lists included) is held to
 * its rule (`@constraint` in the SDL, else the defaults): no NUL, lone surrogate or control
 * character (TAB, LF and CR only where `multiline`), no more characters than its limit (refused,
 * never cut), dates and date-times in their format; `_entities` representations of this
 * subgraph's entity types only. The first problem refuses the whole operation with
 * BAD_USER_INPUT, `extensions.field` naming the argument path (`input.title`) and a French
 * message, so a mutation writes nothing. HTTP 200, as for an error met while resolving: the
 * gateway passes it on to the client as it is (it takes any other status for an outage).
 */
export function inputValidationPlugin<TContext extends BaseContext>(schema: GraphQLSchema): ApolloServerPlugin<TContext> {
  // Read now, so that a malformed @constraint stops the start; per schema, should Apollo use another.
  const rulesBySchema = new WeakMap([[schema, new TextRules(schema)]]);
  const rulesOf = (current: GraphQLSchema) => {
    let rules = rulesBySchema.get(current);
    if (!rules) rulesBySchema.set(current, (rules = new TextRules(current)));
    return rules;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema: current }) {
          if (!operation) return;
          const problem = findInputProblem(rulesOf(current), document, operation, request.variables ?? {});
          if (problem) throw badUserInput(problem.message, { field: problem.field, http: { status: 200 } });
        },
      };
    },
  };
}

/**
 * The gateway's check of the kit's typed scalars (see findScalarProblem): a value one of them
 * refuses, in a variable or in the document, refuses the whole operation before any planning,
 * with BAD_USER_INPUT and `extensions.field` (the argument path), as a subgraph's own input layer
 * does. Without it the subgraph's refusal (HTTP 400) would reach the client as an internal error.
 */
export function scalarInputPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  // Apollo Server hands every request of the same text the same parsed operation (its document
  // store): the walk through the operation is done once per operation and schema, and a request
  // only reads the values of the few arguments that can hold a kit scalar (issue 16).
  const fieldsBySchema = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, FieldTakingKitScalars[]>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          let byOperation = fieldsBySchema.get(schema);
          if (!byOperation) fieldsBySchema.set(schema, (byOperation = new WeakMap()));
          let fields = byOperation.get(operation);
          if (!fields) byOperation.set(operation, (fields = fieldsTakingKitScalars(schema, document, operation)));
          if (fields.length === 0) return;
          const problem = scalarProblemIn(fields, request.variables ?? {});
          if (problem) throw badUserInput(problem.message, { field: problem.field, http: { status: 400 } });
        },
      };
    },
  };
}
