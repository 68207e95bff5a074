// The runtimes of test/runtimes/package.json (pinned by its lockfile), installed on first use. No bin links: both
// Node packages would link bin/node; no scripts: the binaries are in the packages already.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
export const RUNTIME_MODULES = path.join(here, 'node_modules');

/** The path of a runtime's binary inside its package (e.g. `node24/bin/node`), installing them all the first time. */
export function runtimeBin(rel) {
  if (!existsSync(RUNTIME_MODULES))
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-bin-links', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
  return path.join(RUNTIME_MODULES, rel);
}

/** The environment a child process needs to run on Node 24 (the framework generators ask for Node 22+). */
export const onNode24 = (env = process.env) => ({ ...env, PATH: `${path.dirname(runtimeBin('node24/bin/node'))}:${env.PATH}` });
