/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, or the embedded one in
 * `database.data_dir`) and exits. Safe while bots are starting: migrations take an advisory lock. Exit codes: 0
 * applied or up to date, 1 failed, 78 bad configuration.
 */
import { ConfigError } from '../config/ConfigError.js';
import { loadConfig } from '../config/loadConfig.js';
import { Database } from './Database.js';
import { databaseOptionsFrom } from './databaseOptionsFrom.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const database = new Database(databaseOptionsFrom(config.database));
  try {
    await database.start();
    const { applied, total } = await database.migrate();
    const where = database.engine === 'pglite' ? `embedded database in ${database.options.dataDir}` : 'database';
    process.stdout.write(`${where}: applied ${applied} of ${total} migrations\n`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
