// `npm run bench:start`: start and memory alone (issue 16), without the data set or the load.
// `npm run bench -- --start` adds the same section to the full report.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gitRevision, machineInfo } from './machine';
import { REPOSITORY_ROOT } from './processes';
import { measureStart, startMarkdown } from './start-up';

const USAGE = `npm run bench:start -- [--restarts N] [--settle S] [--first-port P] [--out DIR]
  --fresh-clone   the first start without dist/ (nor, under root, the embedded server's copy of its binaries), as after a clone and npm install
  --restarts N    starts after the first on the same data directory (default 1)
  --settle S      seconds after ready before the settled memory is read (default 5)
  --first-port P  first of five consecutive ports: the subgraphs, then the gateway (default 4700)
  --root DIR      the working tree whose npm start is measured (default this one; built and installed)
  --out DIR       where start-<date>-<revision>.md|json and start-latest.md|json go (default bench/results)`;

/** Another tree's commit, as the report names it. */
function shortCommit(root: string): string {
  return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
}

function numberAfter(args: string[], index: number, flag: string): number {
  const value = Number(args[index + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${flag}: a number is expected`);
  return value;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let restarts = 1;
  let settleSeconds = 5;
  let firstPort = 4700;
  let out = path.join(REPOSITORY_ROOT, 'bench', 'results');
  let root = REPOSITORY_ROOT;
  let freshClone = false;
  for (let index = 0; index < args.length; index += 2) {
    const flag = args[index];
    if (flag === '--fresh-clone') {
      freshClone = true;
      index -= 1;
    } else if (flag === '--restarts') restarts = numberAfter(args, index, flag);
    else if (flag === '--settle') settleSeconds = numberAfter(args, index, flag);
    else if (flag === '--first-port') firstPort = numberAfter(args, index, flag);
    else if (flag === '--out' && args[index + 1]) out = path.resolve(args[index + 1] ?? out);
    else if (flag === '--root' && args[index + 1]) root = path.resolve(args[index + 1] ?? root);
    else {
      console.log(USAGE);
      return flag === '--help' ? 0 : 2;
    }
  }
  const startedAt = new Date();
  const logDirectory = path.join(REPOSITORY_ROOT, 'bench', '.data', 'logs', `start-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(logDirectory, { recursive: true });
  const machine = machineInfo();
  const measurement = await measureStart(logDirectory, { root, freshClone, restarts, settleSeconds, firstPort, log: (line) => console.log(line) });
  const revision = root === REPOSITORY_ROOT ? gitRevision() : `${path.basename(root)}@${shortCommit(root)}`;
  const markdown = [
    `# Start and memory — ${startedAt.toISOString().slice(0, 10)} (${revision})`,
    '',
    `- CPU: ${machine.cpuModel} × ${machine.cpuCount}; RAM ${machine.memoryGiB} GiB; Node ${machine.node}`,
    `- load average at start: ${machine.loadAverageAtStart.join(', ')} (other work on the machine slows every start)`,
    '',
    ...startMarkdown(measurement),
  ].join('\n');
  mkdirSync(out, { recursive: true });
  const base = `start-${startedAt.toISOString().slice(0, 10)}-${revision}`;
  for (const name of [base, 'start-latest']) {
    writeFileSync(path.join(out, `${name}.md`), `${markdown}\n`);
    writeFileSync(path.join(out, `${name}.json`), `${JSON.stringify({ generatedAt: startedAt.toISOString(), revision, machine, ...measurement }, null, 2)}\n`);
  }
  console.log(`\n${markdown}\n\nreport: ${path.relative(process.cwd(), path.join(out, `${base}.md`))}`);
  return measurement.runs.some((run) => run.failure) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
