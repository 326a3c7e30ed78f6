// `pnpm --filter @nubo/scheduler-filters run --silent what-if <scenario.json>`: replays the
// scenario's requests against its synthetic fleet of fake-driver hosts and prints the
// placement spread as one JSON document.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WhatIfScenario } from './what-if-scenario.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: what-if <scenario.json>\n');
  process.exit(2);
}
const { replayWhatIf } = await import('./replay-what-if.js');
const scenario = JSON.parse(readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), file), 'utf8')) as WhatIfScenario;
const report = await replayWhatIf(scenario);
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
