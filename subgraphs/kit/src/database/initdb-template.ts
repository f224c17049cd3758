// `node subgraphs/kit/dist/initdb-template.js`, which `npm start` runs beside the subgraphs when
// an embedded database is still to be made: the template they load instead of each running initdb.
// Its first line says it holds the lock: the launcher starts the subgraphs then, so that none of
// them takes the making over.
import { ensureInitdbTemplate } from './embedded-postgres';

ensureInitdbTemplate(() => process.stdout.write('modèle des bases embarquées en préparation (initdb, une fois par installation)\n')).then(
  (made) => process.exit(made ? 0 : 1),
  (error: unknown) => {
    console.error(`modèle de base embarquée impossible : ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
