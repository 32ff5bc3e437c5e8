import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration into drizzle/ from the schema; commit it with the schema change.
// Migrations are applied by `migrate()` (src/db/migrate.ts) at start-up or by `npm run db:migrate`, never by
// `drizzle-kit push`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
});
