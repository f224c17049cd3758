import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'graphql';
import { badUserInput, entityLoader, type SubgraphContext, type SubgraphDefinition } from '../src';
import { CONSTRAINT_DIRECTIVE_SDL } from '../src/input';

/** A minimal subgraph on the kit, to test what the kit promises every subgraph. */
export class Note {
  [OptionalProps]?: 'id';
  id: string = randomUUID();
  text!: string;
}

const NoteSchema = new EntitySchema<Note>({
  class: Note,
  tableName: 'note',
  properties: { id: { type: 'uuid', primary: true }, text: { type: 'string', length: 100 } },
});

class CreateNote extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "note" ("id" uuid not null, "text" varchar(100) not null, constraint "note_pkey" primary key ("id"));');
  }
}

type Loaders = { noteById: ReturnType<typeof entityLoader<Note>> };
type Context = SubgraphContext<Loaders>;

export const NOTE_ID = '00000000-0000-4000-8000-000000000001';
/**
 * The `slow` field: a request to it says it has started, then waits until the test opens the
 * gate, so that a test acts while it is surely in flight without guessing how long that takes.
 */
export const slowField = (() => {
  let started = 0;
  let open: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (open = resolve));
  return {
    started: () => started,
    async wait(): Promise<void> {
      started += 1;
      await gate;
    },
    /** Lets every waiting request finish; later ones wait for the next `release`. */
    release(): void {
      open();
      gate = new Promise<void>((resolve) => (open = resolve));
    },
  };
})();

export const fixtureSubgraph: SubgraphDefinition<Loaders> = {
  name: 'fixture',
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
    ${CONSTRAINT_DIRECTIVE_SDL}
    scalar Date
    scalar Money
    type Note @key(fields: "id") { id: ID! text: String! related(first: Int = 20): [Note!]! }
    input NoteInput {
      text: String! @constraint(maxLength: 100)
      comment: String @constraint(maxLength: 20, multiline: true)
      remindOn: String @constraint(format: "date")
      tags: [TagInput!]
      search: String
      dueOn: Date
      budget: Money
    }
    input TagInput { label: String! @constraint(maxLength: 10) }
    type Mutation { addNote(input: NoteInput!): Note! }
    type Query {
      note(id: ID!): Note
      refused: Boolean
      crash: Boolean
      badSql: Boolean
      noteByRawId(id: String!): Note
      slow: String
      requestId: String
    }
  `),
  resolvers: {
    Query: {
      note: (_: unknown, { id }: { id: string }, { loaders }: Context) => loaders.noteById.load(id),
      refused: () => {
        throw badUserInput('Le montant doit être positif.', { field: 'amount' });
      },
      crash: () => {
        throw new Error('connect ECONNREFUSED 10.0.0.5:5432 at Pool.connect (/srv/app/node_modules/pg/lib/index.js:45)');
      },
      badSql: async (_: unknown, __: unknown, { em }: Context) => {
        await em.getConnection().execute('select secret_column from table_that_does_not_exist');
        return true;
      },
      // The database refuses a value that is not a UUID, quoting it in its message.
      noteByRawId: async (_: unknown, { id }: { id: string }, { em }: Context) => {
        const rows: Note[] = await em.getConnection().execute('select * from "note" where "id" = ?', [id]);
        return rows[0] ?? null;
      },
      slow: async () => {
        await slowField.wait();
        return 'fini';
      },
      requestId: (_: unknown, __: unknown, { requestId }: Context) => requestId,
    },
    Mutation: {
      addNote: async (_: unknown, { input }: { input: { text: string } }, { em }: Context) => {
        const note = em.create(Note, { text: input.text });
        await em.flush();
        return note;
      },
    },
    Note: {
      __resolveReference: ({ id }: { id: string }, { loaders }: Context) => loaders.noteById.load(id),
      // Itself, again and again: what a recursive path of a real schema does for the limits' tests.
      related: async (note: Note, _: unknown, { loaders }: Context) => [await loaders.noteById.load(note.id)],
    },
  },
  entities: [NoteSchema],
  migrations: [{ name: 'Migration00000000000001_note', class: CreateNote }],
  createLoaders: (em: EntityManager) => ({ noteById: entityLoader(em, Note) }),
  seedDemoData: async (em: EntityManager) => {
    await em.upsert(Note, { id: NOTE_ID, text: 'Bonjour' }, { onConflictFields: ['id'], onConflictAction: 'ignore' });
  },
};
