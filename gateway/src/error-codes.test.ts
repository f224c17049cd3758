import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOG_CODES } from '@pgamr/kit/error-catalog';

/** The gateway's product code: every `.ts` file under src/ but tests. */
function productFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return productFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

describe("the gateway's error codes", () => {
  it("come from the kit's catalog (ErrorCode, RequestErrorCode, RefusalCode), never retyped as strings", () => {
    const quoted = new RegExp(`['"\`](${CATALOG_CODES.join('|')})['"\`]`);
    const retyped = productFiles(__dirname).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (quoted.test(line) ? [`${path.relative(__dirname, file)}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(retyped).toEqual([]);
  });
});
