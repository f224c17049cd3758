// `npm run build:graphiql`: builds the GraphiQL page ahead of time (deployment images), so that
// the gateway serves it without esbuild at run time.
import { buildGraphiqlPage, GRAPHIQL_BUILD_DIR } from './build';

buildGraphiqlPage()
  .then(() => console.warn(`GraphiQL construit dans ${GRAPHIQL_BUILD_DIR}`))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
