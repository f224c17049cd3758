// `node subgraphs/kit/dist/initdb-template.js`, which `npm start` runs before the subgraphs when
// an embedded database is still to be made: the template they load instead of each running initdb.
import { ensureInitdbTemplate } from './embedded-postgres';

ensureInitdbTemplate().then(
  (made) => process.exit(made ? 0 : 1),
  (error: unknown) => {
    console.error(`modèle de base embarquée impossible : ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
