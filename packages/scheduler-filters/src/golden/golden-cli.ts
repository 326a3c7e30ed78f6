// `pnpm --filter @nubo/scheduler-filters run --silent golden <fixture.json>`: one JSON line per
// case, `{"passed":[sorted],"order":[best first]}`. A relative path is taken from the directory
// pnpm was started in.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NovaFixture } from './nova-fixture.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: golden <fixture.json>\n');
  process.exit(2);
}
const { runGolden } = await import('./run-golden.js');
const fixture = JSON.parse(readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), file), 'utf8')) as NovaFixture;
const lines = runGolden(fixture).map((a) => JSON.stringify({ passed: a.passed, order: a.order }));
process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
