import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/** One problem of the API schema: the rule, where (`Type.field(argument:)`), and what to do. */
export interface SchemaViolation {
  rule: string;
  coordinate: string;
  message: string;
}

/**
 * A list of records kept as a plain list, on the record: a handful of values the screens show at
 * once (the sectors of the catalog…), never a list that grows with the data.
 */
export interface PlainListEntry {
  /** `Type.field` */
  field: string;
  reason: string;
}

/** The file, at the root, that lists the plain lists of records allowed, each with its reason. */
export const PLAIN_LISTS_FILE = 'schema-lint.plain-lists.json';

type Element =
  | { kind: 'type'; coordinate: string; name: string; description: string | null | undefined }
  | { kind: 'enum-value'; coordinate: string; name: string; description: string | null | undefined }
  | { kind: 'field'; coordinate: string; name: string; description: string | null | undefined; type: GraphQLOutputType; owner: string }
  | { kind: 'argument' | 'input-field'; coordinate: string; name: string; description: string | null | undefined; type: GraphQLInputType };

/** Every element a client can see: types (built-in ones aside), fields, arguments, input fields, enum values. */
function* elementsOf(schema: GraphQLSchema): Generator<Element> {
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    yield { kind: 'type', coordinate: type.name, name: type.name, description: type.description };
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        yield { kind: 'field', coordinate, name: field.name, description: field.description, type: field.type, owner: type.name };
        for (const argument of field.args) {
          yield { kind: 'argument', coordinate: `${coordinate}(${argument.name}:)`, name: argument.name, description: argument.description, type: argument.type };
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        yield { kind: 'input-field', coordinate: `${type.name}.${field.name}`, name: field.name, description: field.description, type: field.type };
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        yield { kind: 'enum-value', coordinate: `${type.name}.${value.name}`, name: value.name, description: value.description };
      }
    }
  }
}

/** The lower-case words of a name: `requestedAmount` → requested, amount; `date_debut` → date, debut. */
export const wordsOf = (name: string): string[] =>
  name
    .replace(/([a-zà-ÿ0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());

const MONEY_WORDS = new Set([
  'amount', 'amounts', 'montant', 'montants', 'price', 'prices', 'prix', 'total', 'totals', 'subtotal', 'cost', 'costs',
  'cout', 'coût', 'couts', 'coûts', 'balance', 'solde', 'fee', 'fees', 'frais', 'budget', 'subsidy', 'subvention', 'payment', 'paiement',
]);
// A name ending so counts or compares, whatever comes before: `totalCount`, `costRatio`.
const NOT_MONEY_LAST_WORDS = new Set(['count', 'number', 'ratio', 'rate', 'percentage', 'pourcentage', 'taux', 'nombre']);
/** Whether a name reads like an amount of money (`amount`, `montant`, `requestedAmount`, `price`, `total`…), not a count (`totalCount`). */
export const isMoneyName = (name: string): boolean => {
  const words = wordsOf(name);
  return !NOT_MONEY_LAST_WORDS.has(words[words.length - 1] ?? '') && words.some((word) => MONEY_WORDS.has(word));
};

const DATE_LAST_WORDS = new Set(['at', 'on', 'date', 'dates', 'until', 'from', 'since', 'deadline']);
/** Whether a name reads like a date or a moment (`createdAt`, `signedOn`, `dueDate`, `validUntil`, `date`…). */
export const isDateName = (name: string): boolean => {
  const words = wordsOf(name);
  return DATE_LAST_WORDS.has(words[words.length - 1] ?? '') || words.includes('date') || words.includes('dates');
};

// Words only one of the two languages uses, frequent in a schema's descriptions.
const ENGLISH_WORDS = new Set([
  'the', 'of', 'and', 'is', 'are', 'to', 'for', 'with', 'this', 'that', 'which', 'be', 'by', 'from', 'when', 'if',
  'it', 'its', 'was', 'has', 'have', 'not', 'can', 'may', 'will', 'only', 'each', 'all', 'any', 'or', 'in', 'at', 'as',
  'who', 'whose', 'their', 'been', 'returns', 'list', 'number', 'user', 'name',
]);
const FRENCH_WORDS = new Set([
  'le', 'la', 'les', 'l', 'de', 'des', 'du', 'd', 'un', 'une', 'et', 'est', 'sont', 'pour', 'par', 'dans', 'sur', 'au',
  'aux', 'avec', 'sans', 'qui', 'que', 'qu', 'ne', 'pas', 'son', 'sa', 'ses', 'leur', 'leurs', 'cette', 'ce', 'ces',
  'selon', 'lorsque', 'ou', 'à', 'en', 'il', 'elle', 'y', 'liste', 'nombre', 'utilisateur', 'nom',
]);

/**
 * Whether a description reads as English rather than French: more words only English uses than
 * words only French uses (accents count for French). A heuristic: a description with neither
 * (« Identifiant. », `ISO 8601`) passes.
 */
export function looksEnglish(description: string): boolean {
  const words = description
    .toLowerCase()
    .replace(/`[^`]*`/g, ' ')
    .split(/[^a-zà-ÿœæ]+/)
    .filter(Boolean);
  const english = words.filter((word) => ENGLISH_WORDS.has(word)).length;
  const french = words.filter((word) => FRENCH_WORDS.has(word)).length + (/[àâçéèêëîïôûùüÿœ]/i.test(description) ? 1 : 0);
  return english > french;
}

const typeOf = (element: Element) => ('type' in element ? element.type : undefined);

/** Money is exact: never a `Float` for anything named like an amount. */
function noFloatMoney(schema: GraphQLSchema): SchemaViolation[] {
  return [...elementsOf(schema)]
    .filter((element) => element.kind === 'field' || element.kind === 'argument' || element.kind === 'input-field')
    .filter((element) => getNamedType(typeOf(element))?.name === 'Float' && isMoneyName(element.name))
    .map((element) => ({
      rule: 'pgamr/no-float-money',
      coordinate: element.coordinate,
      message: `« ${element.name} » est un montant en Float : un montant est exact, en dollars et cents (scalaire Money, chaîne décimale), jamais en virgule flottante.`,
    }));
}

/** A date is a `Date` or a `DateTime`, never a `String`. */
function noStringDate(schema: GraphQLSchema): SchemaViolation[] {
  return [...elementsOf(schema)]
    .filter((element) => element.kind === 'field' || element.kind === 'argument' || element.kind === 'input-field')
    .filter((element) => getNamedType(typeOf(element))?.name === 'String' && isDateName(element.name))
    .map((element) => ({
      rule: 'pgamr/no-string-date',
      coordinate: element.coordinate,
      message: `« ${element.name} » est une date dans un String : un jour est un Date (AAAA-MM-JJ, au Québec), un moment un DateTime (ISO 8601 avec son décalage).`,
    }));
}

const isConnectionTypeName = (name: string) => name.endsWith('Connection');

/**
 * Every list of records (an object or interface type with an `id`) is a connection, except the
 * plain lists of `allowed`; an entry that names no such list is reported too, so the list of
 * exceptions never outlives them.
 */
function listIsConnection(schema: GraphQLSchema, allowed: readonly PlainListEntry[]): SchemaViolation[] {
  const rule = 'pgamr/list-is-connection';
  const allowedFields = new Set(allowed.map((entry) => entry.field));
  const recordLists = new Set<string>();
  const violations: SchemaViolation[] = [];
  for (const element of elementsOf(schema)) {
    if (element.kind !== 'field' || isConnectionTypeName(element.owner)) continue;
    if (!isListType(getNullableType(element.type))) continue;
    const item = getNamedType(element.type);
    if (!(isObjectType(item) || isInterfaceType(item)) || !item.getFields().id) continue;
    recordLists.add(element.coordinate);
    if (allowedFields.has(element.coordinate)) continue;
    violations.push({
      rule,
      coordinate: element.coordinate,
      message:
        `liste d'enregistrements (${item.name} a un id) sans pages : une connexion (first/after, nodes, edges, pageInfo, totalCount), ` +
        `ou, pour une poignée de valeurs affichées d'un coup, une entrée motivée dans ${PLAIN_LISTS_FILE}.`,
    });
  }
  for (const entry of allowed) {
    if (!recordLists.has(entry.field)) {
      violations.push({ rule, coordinate: entry.field, message: `${PLAIN_LISTS_FILE} nomme un champ qui n'est pas une liste d'enregistrements du schéma : retirez l'entrée.` });
    }
  }
  return violations;
}

/** A connection has the fields front ends rely on: `nodes`, `edges`, `pageInfo`, `totalCount`. */
function connectionFields(schema: GraphQLSchema): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !isConnectionTypeName(type.name)) continue;
    const fields = type.getFields();
    const nodes = fields.nodes?.type;
    if (!nodes || !isListType(getNullableType(nodes))) {
      violations.push({ rule: 'pgamr/connection-fields', coordinate: type.name, message: 'une connexion a un champ « nodes », la liste des éléments de la page.' });
    }
    const totalCount = fields.totalCount?.type;
    if (!totalCount || !isNonNullType(totalCount) || getNamedType(totalCount).name !== 'Int') {
      violations.push({ rule: 'pgamr/connection-fields', coordinate: type.name, message: 'une connexion a un champ « totalCount: Int! », calculé seulement quand il est demandé.' });
    }
  }
  return violations;
}

/** Mutations take one `input` object (or nothing) and return a `…Payload` type. */
function mutationInputPayload(schema: GraphQLSchema): SchemaViolation[] {
  const rule = 'pgamr/mutation-input-payload';
  const violations: SchemaViolation[] = [];
  const mutationType = schema.getMutationType();
  if (!mutationType) return violations;
  for (const field of Object.values(mutationType.getFields())) {
    const coordinate = `${mutationType.name}.${field.name}`;
    const [argument, ...others] = field.args;
    if (others.length > 0) {
      violations.push({ rule, coordinate, message: `${field.args.length} arguments : une mutation prend un seul argument, « input », un objet d'entrée non nul.` });
    } else if (argument && !(isNonNullType(argument.type) && isInputObjectType(argument.type.ofType))) {
      violations.push({ rule, coordinate: `${coordinate}(${argument.name}:)`, message: "l'argument d'une mutation est un objet d'entrée non nul (« input: …Input! »)." });
    }
    const result = getNamedType(field.type);
    if (!isObjectType(result) || !result.name.endsWith('Payload')) {
      violations.push({ rule, coordinate, message: `renvoie ${result.name} : une mutation renvoie un type « …Payload », qui peut grandir sans rien casser.` });
    }
  }
  return violations;
}

/** Every description is in French (a heuristic; whether there is one is `require-description`'s). */
function frenchDescription(schema: GraphQLSchema): SchemaViolation[] {
  return [...elementsOf(schema)]
    .flatMap(({ coordinate, description }) =>
      description && looksEnglish(description)
        ? [{ rule: 'pgamr/french-description', coordinate, message: `description qui semble en anglais (« ${description.slice(0, 60)} ») : les descriptions sont en français.` }]
        : [],
    );
}

/** The project's own rules, which no plugin checks, by name. */
export const PROJECT_RULES = {
  'pgamr/no-float-money': noFloatMoney,
  'pgamr/no-string-date': noStringDate,
  'pgamr/list-is-connection': listIsConnection,
  'pgamr/connection-fields': connectionFields,
  'pgamr/mutation-input-payload': mutationInputPayload,
  'pgamr/french-description': frenchDescription,
} as const satisfies Record<string, (schema: GraphQLSchema, allowed: readonly PlainListEntry[]) => SchemaViolation[]>;

/** Runs every project rule on an API schema. */
export function checkProjectRules(schema: GraphQLSchema, plainLists: readonly PlainListEntry[] = []): SchemaViolation[] {
  return Object.values(PROJECT_RULES).flatMap((rule) => rule(schema, plainLists));
}
