// GraphiQL's « Exemples » panel: the ready-made operations of ./examples.ts; a click opens one
// in a new tab, so that the analyst's own query stays where it was.
import { useEditorContext, type GraphiQLPlugin } from '@graphiql/react';
import { useEffect, useState } from 'react';
import { EXAMPLE_GROUPS, type ExampleOperation } from './examples';

function ExamplesPanel() {
  const editor = useEditorContext({ nonNull: true });
  const { activeTabIndex, queryEditor } = editor;
  const [opening, setOpening] = useState<ExampleOperation | null>(null);

  // `addTab` fills the new tab with the default query while React renders it: the example goes in
  // once that render is committed, never before (it would be overwritten).
  useEffect(() => {
    if (!opening || !queryEditor) return;
    queryEditor.setValue(opening.document);
    setOpening(null);
  }, [opening, activeTabIndex, queryEditor]);

  const open = (example: ExampleOperation) => {
    setOpening(example);
    editor.addTab();
  };

  return (
    <section className="pgamr-examples" aria-label="Exemples">
      <div className="graphiql-doc-explorer-title">Exemples</div>
      <p>Des requêtes prêtes pour les questions des analystes ; chacune s’ouvre dans un nouvel onglet, à exécuter ou à modifier.</p>
      {EXAMPLE_GROUPS.filter((group) => group.examples.length > 0).map((group) => (
        <div key={group.title}>
          <h3>{group.title}</h3>
          <ul>
            {group.examples.map((example) => (
              <li key={example.title}>
                <button type="button" className="pgamr-example" onClick={() => open(example)}>
                  {example.title}
                </button>
                <p>{example.description}</p>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function ExamplesIcon() {
  // A book drawn inline: the page loads nothing from another origin.
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M4 4.5A1.5 1.5 0 0 1 5.5 3H20v15H5.5A1.5 1.5 0 0 0 4 19.5v-15Z" strokeLinejoin="round" />
      <path d="M4 19.5A1.5 1.5 0 0 0 5.5 21H20v-3M8 7h8M8 10.5h6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export const EXAMPLES_PLUGIN: GraphiQLPlugin = {
  title: 'Exemples',
  icon: ExamplesIcon,
  content: ExamplesPanel,
};
