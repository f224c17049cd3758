import {
  getDirectiveValues,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { TEXT_FORMATS, type TextFormat, type TextRule } from './text';

/** The directive's name in a subgraph's SDL. */
export const CONSTRAINT_DIRECTIVE = 'constraint';

/**
 * The definition every subgraph's SDL that constrains its text inputs declares as is. Named and
 * shaped after graphql-constraint-directive's `@constraint(maxLength:, format:)`, which front-end
 * developers may know; `multiline` is ours. Composition leaves it out of the supergraph: each
 * subgraph enforces its own (see `inputValidationPlugin`), and the limit is written in the
 * field's description, which a test holds to the directive.
 */
export const CONSTRAINT_DIRECTIVE_SDL =
  'directive @constraint(maxLength: Int, multiline: Boolean = false, format: String) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION';

/** A `String` argument or input field without `@constraint(maxLength:)`: one line, at most this many characters. */
export const DEFAULT_TEXT_MAX_LENGTH = 1000;
/** Every `ID`: identifiers this API issued (UUIDs, 36 characters), never typed by a person. */
export const ID_MAX_LENGTH = 100;

const DEFAULT_TEXT: TextRule = { maxLength: DEFAULT_TEXT_MAX_LENGTH, multiline: false };
const DEFAULT_ID: TextRule = { maxLength: ID_MAX_LENGTH, multiline: false };

type InputElement = GraphQLArgument | GraphQLInputField;

/** The rules of one schema's text inputs, read once from its SDL. */
export class TextRules {
  private readonly rules = new WeakMap<InputElement, TextRule>();

  /** Reads every `@constraint` of the schema; a misplaced or malformed one stops the start. */
  constructor(readonly schema: GraphQLSchema) {
    for (const { coordinate, element } of textInputsOf(schema)) {
      const rule = this.read(element, coordinate);
      if (rule) this.rules.set(element, rule);
    }
  }

  /** The rule of a `String` or `ID` argument or input field (of a list of them too): its own, or the default. */
  of(element: InputElement): TextRule {
    return this.rules.get(element) ?? (getNamedType(element.type).name === 'ID' ? DEFAULT_ID : DEFAULT_TEXT);
  }

  private read(element: InputElement, coordinate: string): TextRule | undefined {
    const directive = this.schema.getDirective(CONSTRAINT_DIRECTIVE);
    if (!directive || !element.astNode) return undefined;
    const values = getDirectiveValues(directive, element.astNode);
    if (!values) return undefined;
    if (!isText(element.type)) throw new Error(`@constraint sur ${coordinate}, qui n'est pas un texte (String ou ID)`);
    // Coerced by the directive's definition: maxLength an Int, multiline a Boolean, format a String.
    const { maxLength, multiline, format } = values;
    if (format != null && !isTextFormat(format)) {
      throw new Error(`@constraint(format: "${typeof format === 'string' ? format : JSON.stringify(format)}") sur ${coordinate} : formats connus ${TEXT_FORMATS.join(', ')}`);
    }
    if (typeof maxLength === 'number' && maxLength < 1) throw new Error(`@constraint(maxLength:) sur ${coordinate} : au moins 1`);
    const fallback = getNamedType(element.type).name === 'ID' ? DEFAULT_ID : DEFAULT_TEXT;
    return {
      maxLength: typeof maxLength === 'number' ? maxLength : fallback.maxLength,
      multiline: multiline === true,
      ...(format ? { format } : {}),
    };
  }
}

const isText = (type: GraphQLInputType): boolean => ['String', 'ID'].includes(getNamedType(type).name);

const isTextFormat = (value: unknown): value is TextFormat => TEXT_FORMATS.some((format) => format === value);

/** A text input of the schema, with its coordinate (`Mutation.signIn(clicSequrCode:)`, `CreateDossierInput.title`). */
export interface TextInput {
  coordinate: string;
  /** `String` or `ID`. */
  type: string;
  rule: TextRule;
}

/**
 * Every `String` and `ID` argument and input field a client can send, with its rule: for the
 * test that holds each schema's descriptions to its limits. Federation's own fields aside.
 */
export function describeTextInputs(schema: GraphQLSchema): TextInput[] {
  const rules = new TextRules(schema);
  return textInputsOf(schema).map(({ coordinate, element }) => ({
    coordinate,
    type: getNamedType(element.type).name,
    rule: rules.of(element),
  }));
}

function textInputsOf(schema: GraphQLSchema): Array<{ coordinate: string; element: InputElement }> {
  const inputs: Array<{ coordinate: string; element: InputElement }> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || type.name.startsWith('_')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.name.startsWith('_')) continue;
        for (const arg of field.args) {
          if (isText(arg.type)) inputs.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, element: arg });
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (isText(field.type)) inputs.push({ coordinate: `${type.name}.${field.name}`, element: field });
      }
    }
  }
  return inputs;
}
