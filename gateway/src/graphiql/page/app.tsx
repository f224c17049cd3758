// The GraphiQL page the gateway serves at /graphiql, bundled by ../build.ts. Everything it needs
// is in the bundle: the portal's networks may not reach public CDNs, and its CSP forbids them.
import { explorerPlugin } from '@graphiql/plugin-explorer';
import '@graphiql/plugin-explorer/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import './page.css';
import { StrictMode, useEffect, useMemo, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { CsvExportButton } from './csv-export';
import { ERROR_CODES_PLUGIN } from './error-codes';
import { EXAMPLES_PLUGIN } from './examples-panel';
import { liveFetcher, type LiveProtocol } from './live-fetcher';

const GRAPHQL_PATH = '/graphql';
// The analysts' query builder: tick fields, GraphiQL writes the query. Its attribution would link
// to another origin, and its title is the page's to say in French.
const EXPLORER_PLUGIN = { ...explorerPlugin({ title: 'Constructeur de requêtes', showAttribution: false }), title: 'Constructeur de requêtes' };
// GraphiQL puts its documentation explorer and history first; the analysts' tools come after
// them, then the error codes.
const PLUGINS = [EXPLORER_PLUGIN, EXAMPLES_PLUGIN, ERROR_CODES_PLUGIN];
// Per tab and gone with it: a token must not outlive the analyst's session in shared browsers.
const TOKEN_KEY = 'pgamr.graphiql.accessToken';
const SIGN_IN = `mutation SignIn($input: SignInInput!) {
  signIn(input: $input) { session { accessToken } }
}`;
const DEFAULT_QUERY = `# Connectez-vous ci-dessus, puis exécutez (Ctrl+Entrée).
# Cette requête traverse les trois sous-graphes : identité, services et mandats.
{
  me {
    givenName
    organization {
      name
      dossiers {
        nodes {
          title
          service { code }
        }
      }
    }
  }
}
`;

interface SignInResponse {
  data?: { signIn?: { session: { accessToken: string } } | null } | null;
  errors?: { message: string }[];
}

async function requestToken(code: string, password: string): Promise<string> {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ operationName: 'SignIn', query: SIGN_IN, variables: { input: { clicSequrCode: code, password } } }),
  });
  const body = (await response.json()) as SignInResponse;
  const token = body.data?.signIn?.session.accessToken;
  if (!token) throw new Error(body.errors?.[0]?.message ?? 'La connexion a échoué.');
  return token;
}

function ProtocolChoice({ protocol, onProtocol }: { protocol: LiveProtocol; onProtocol: (protocol: LiveProtocol) => void }) {
  return (
    <label className="pgamr-protocol">
      Abonnements{' '}
      <select value={protocol} onChange={(e) => onProtocol(e.target.value === 'ws' ? 'ws' : 'sse')}>
        <option value="sse">SSE (POST /graphql/stream)</option>
        <option value="ws">WebSocket (graphql-ws)</option>
      </select>
    </label>
  );
}

function SignInBar({ token, onToken }: { token: string | null; onToken: (token: string | null) => void }) {
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    requestToken(code.trim(), password)
      .then((accessToken) => {
        setPassword('');
        onToken(accessToken);
      })
      .catch((reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)))
      .finally(() => setPending(false));
  };

  if (token) {
    return (
      <header className="pgamr-bar">
        <span className="pgamr-status" role="status">
          Connecté : les requêtes portent l’en-tête Authorization.
        </span>
        <button type="button" onClick={() => onToken(null)}>
          Se déconnecter
        </button>
      </header>
    );
  }
  return (
    <header className="pgamr-bar">
      <form className="pgamr-sign-in" aria-label="Connexion" onSubmit={submit}>
        <label>
          Code clicSÉQUR <input name="code" autoComplete="username" required value={code} onChange={(e) => setCode(e.target.value)} />
        </label>
        <label>
          Mot de passe{' '}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" disabled={pending}>
          Se connecter
        </button>
        {error && (
          <span className="pgamr-error" role="alert">
            {error}
          </span>
        )}
      </form>
    </header>
  );
}

function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [protocol, setProtocol] = useState<LiveProtocol>('sse');
  const live = useMemo(
    () =>
      liveFetcher(
        createGraphiQLFetcher({
          url: GRAPHQL_PATH,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        }),
        token,
        protocol,
      ),
    [token, protocol],
  );
  // A new token or protocol: the previous clients' connections are closed.
  useEffect(() => () => live.dispose(), [live]);
  const changeToken = (next: string | null) => {
    if (next) sessionStorage.setItem(TOKEN_KEY, next);
    else sessionStorage.removeItem(TOKEN_KEY);
    setToken(next);
  };
  return (
    <div className="pgamr-page">
      <SignInBar token={token} onToken={changeToken} />
      <ProtocolChoice protocol={protocol} onProtocol={setProtocol} />
      <main className="pgamr-ide">
        <GraphiQL fetcher={live.fetcher} defaultQuery={DEFAULT_QUERY} plugins={PLUGINS}>
          <GraphiQL.Toolbar>
            {({ prettify, merge, copy }) => (
              <>
                {prettify}
                {merge}
                {copy}
                <CsvExportButton />
              </>
            )}
          </GraphiQL.Toolbar>
        </GraphiQL>
      </main>
    </div>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
