// GraphiQL's « Codes d'erreur » panel: the kit's error catalog, bundled into the page (the same
// entries as the README's table), so that an analyst reading an error sees what its code means.
import type { GraphiQL } from 'graphiql';
import type { ComponentProps } from 'react';
import {
  CATALOG_CODES,
  catalogEntry,
  describeExtensions,
  describeHttp,
  describeRetry,
  ERROR_EXTENSIONS,
  type ErrorExtension,
} from '@pgamr/kit/error-catalog';

/** A plugin of GraphiQL's sidebar, as its `plugins` prop takes it. */
type GraphiQLPlugin = NonNullable<ComponentProps<typeof GraphiQL>['plugins']>[number];

/** Text whose `backquoted` parts are code, as in the catalog's Markdown. */
function Inline({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part))}
    </>
  );
}

function ErrorCodesPanel() {
  return (
    <section className="pgamr-error-codes" aria-label="Codes d'erreur">
      <div className="graphiql-doc-explorer-title">Codes d'erreur</div>
      <p>
        Chaque erreur porte un <code>extensions.code</code> stable de ce catalogue ; le message, en français, est pour
        l'utilisateur. Sur un champ : HTTP 200, le champ vaut <code>null</code> et le reste de la réponse est là.
      </p>
      <dl>
        {CATALOG_CODES.map((code) => {
          const entry = catalogEntry(code);
          return (
            <div key={code} className="pgamr-error-code" id={`code-${code}`}>
              <dt>
                <code>{code}</code>
              </dt>
              <dd>
                <p>
                  <Inline text={entry.meaning} />
                </p>
                <p>
                  <strong>HTTP :</strong> {describeHttp(entry)} · <strong>Réessayer :</strong> <Inline text={describeRetry(entry)} />
                </p>
                <p>
                  <strong>Extensions :</strong> <Inline text={describeExtensions(entry)} />
                </p>
                <p>
                  <strong>Que faire :</strong> <Inline text={entry.action} />
                </p>
              </dd>
            </div>
          );
        })}
      </dl>
      <h3>Extensions</h3>
      <ul>
        {(Object.entries(ERROR_EXTENSIONS) as Array<[ErrorExtension, string]>).map(([name, text]) => (
          <li key={name}>
            <code>{name}</code> : <Inline text={text} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ErrorCodesIcon() {
  // A warning sign drawn inline: the page loads nothing from another origin.
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M12 3 2.5 20h19L12 3Z" strokeLinejoin="round" />
      <path d="M12 10v4.5M12 17v.5" strokeLinecap="round" />
    </svg>
  );
}

export const ERROR_CODES_PLUGIN: GraphiQLPlugin = {
  title: "Codes d'erreur",
  icon: ErrorCodesIcon,
  content: ErrorCodesPanel,
};
