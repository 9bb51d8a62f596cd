/** Process entry: read config, build the app, listen, and drain on SIGTERM/SIGINT; `--help` prints the settings. */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { runPrimary } from './cluster/primary.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { helpText } from './config/settings-table.js';

/** Settings come from the environment; the only argument is `--help` (or `-h`). */
function wantsHelp(): boolean {
  try {
    return parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help === true;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nSettings are environment variables; see --help.`);
    process.exit(64); // EX_USAGE
  }
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

async function serve(config: Config): Promise<void> {
  const app = await buildApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: closing sockets with 1001, finishing in-flight work');
    const force = setTimeout(() => {
      app.log.error('shutdown grace period elapsed; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function start(): void {
  const config = readConfig();
  if (config.PNEUMATIC_WORKERS > 1 && cluster.isPrimary) {
    runPrimary(config);
    return;
  }
  serve(config).catch((error: unknown) => {
    console.error('Pneumatic failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

// Help starts nothing: the process exits 0 once the text is written.
if (wantsHelp()) process.stdout.write(helpText());
else start();
