import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NovaFixture } from '../src/index.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const anchors = fileURLToPath(new URL('../../../../shared/anchors/nova-scheduler-golden.json', import.meta.url));
const run = (script: string, arg: string) =>
  spawnSync(process.execPath, ['--conditions=nubo-source', '--import', 'tsx', script, arg], { cwd: pkg, encoding: 'utf8', env: { ...process.env, INIT_CWD: pkg } });

describe('the golden command', () => {
  // a separate Node process: slow to start on a busy machine
  it('prints one {"passed","order"} line per case, equal to Nova’s answers', { timeout: 180_000 }, () => {
    const r = run('src/golden/golden-cli.ts', anchors);
    expect(r.status).toBe(0);
    const fixture = JSON.parse(readFileSync(anchors, 'utf8')) as NovaFixture;
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(fixture.cases.length);
    lines.forEach((line, i) => {
      const c = fixture.cases[i]!;
      expect(JSON.parse(line)).toEqual({ passed: c.passed, order: c.weighed.map((w) => w.host) });
    });
  });

  it('explains its usage when the fixture is missing', { timeout: 60_000 }, () => {
    const r = spawnSync(process.execPath, ['--conditions=nubo-source', '--import', 'tsx', 'src/golden/golden-cli.ts'], { cwd: pkg, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: golden <fixture.json>/);
  });
});

