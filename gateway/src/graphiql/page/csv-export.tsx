// The « Exporter en CSV » button of GraphiQL's toolbar: the result pane as it stands, flattened by
// ./csv.ts and downloaded through a Blob and an `<a download>`, so that nothing leaves the page
// (a download of a `blob:` URL of this origin is no request and needs nothing from the CSP).
import { ToolbarButton, useEditorContext, useSchemaStore } from '@graphiql/react';
import { useEffect, useState } from 'react';
import { NothingToExportError, responseToCsv } from './csv';

/** `pgamr-<operation>-<date>.csv`: files of one day's exports sort by question. */
function fileName(operationName: string | null | undefined): string {
  const day = new Date().toISOString().slice(0, 10);
  return `pgamr-${operationName ?? 'resultat'}-${day}.csv`;
}

function download(csv: string, name: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference to the Blob once started.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function DownloadIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M12 3v12m0 0-4.5-4.5M12 15l4.5-4.5M4 17v3h16v-3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function CsvExportButton() {
  const { queryEditor, responseEditor } = useEditorContext({ nonNull: true });
  const { schema } = useSchemaStore();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(() => setError(null), 6000);
    return () => clearTimeout(timer);
  }, [error]);

  const exportCsv = () => {
    const documentAST = queryEditor?.documentAST;
    const operationName = queryEditor?.operationName;
    try {
      const csv = responseToCsv(responseEditor?.getValue() ?? '', schema && documentAST ? { schema, document: documentAST, operationName } : undefined);
      setError(null);
      download(csv, fileName(operationName));
    } catch (reason) {
      if (!(reason instanceof NothingToExportError)) throw reason;
      setError(reason.message);
    }
  };

  return (
    <>
      <ToolbarButton label="Exporter le résultat en CSV" onClick={exportCsv}>
        <DownloadIcon />
      </ToolbarButton>
      {error && (
        <span className="pgamr-toast" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
