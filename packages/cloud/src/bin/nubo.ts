// The `nubo` command: one Nubo service per process. See USAGE in ../cli/parse-args.ts.
import { JsonLogger, NuboError } from '@nubo/core';
import { parseArgs, USAGE } from '../cli/parse-args.js';
import { loadConfig } from '../config/load-config.js';
import { dbSync } from '../process/db-sync.js';
import { ServiceProcess } from '../process/service-process.js';

async function main(): Promise<number> {
  const command = parseArgs(process.argv.slice(2));
  if (command.kind === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const config = loadConfig(command.configPath);
  if (command.kind === 'db-sync') {
    await dbSync(config);
    new JsonLogger(undefined, config.logLevel).info('database schema up to date', { process: 'nubo-db-sync' });
    return 0;
  }
  const service = await ServiceProcess.start({ service: command.service, config, host: command.host, driver: command.driver });
  // Written whatever the log level: launchers (spawnNubo) wait for this line.
  process.stdout.write(JSON.stringify({
    time: new Date().toISOString(), level: 'info', msg: 'nubo service ready', process: `nubo-${service.service}`,
    service: service.service, host: service.host, endpoints: service.api?.endpoints,
  }) + '\n');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      service.logger.info('signal received', { signal });
      void service.stop().then(resolve, (err: unknown) => {
        service.logger.error('graceful stop failed', { error: String(err) });
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof NuboError ? err.message : String((err as Error)?.stack ?? err);
    process.stderr.write(`nubo: ${message}\n`);
    if (err instanceof NuboError && err.status === 400) process.stderr.write(`\n${USAGE}\n`);
    process.exit(err instanceof NuboError && err.status === 400 ? 2 : 1);
  },
);
