// `npm start`: the local FaceSign sandbox. Its targets (your app's webhook URL and origins) come from flags or
// environment variables, the ports from environment variables (`npm start -- --help`; docs/sandbox.md).
import { startSandbox } from './sandbox.mjs';
import { USAGE, UsageError, sandboxOptions } from './sandbox-options.mjs';
import { banner } from './banner.mjs';

let options;
try {
  options = sandboxOptions(process.argv.slice(2), process.env);
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  console.error(`sandbox: ${e.message}`);
  process.exit(1);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

let sandbox;
try {
  sandbox = await startSandbox({ ...options.sandbox, log: (line) => console.log(line) });
} catch (e) {
  console.error(`sandbox: ${e.message}`);
  process.exit(1);
}
console.log(banner(sandbox));

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  await sandbox.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
