import pg from 'pg';

/**
 * The stores every server test runs against: embedded PGlite always, and
 * PostgreSQL when the test runner started one (TEST_DATABASE_URL). Each call
 * of `databaseUrl()` makes a fresh empty database, so suites never share state.
 */
export const STORES: { name: string; databaseUrl: () => Promise<string | undefined> }[] = [
  { name: 'PGlite', databaseUrl: async () => undefined },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: 'PostgreSQL',
          databaseUrl: async () => {
            const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
            await admin.connect();
            const name = `tp_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
            await admin.query(`CREATE DATABASE ${name}`);
            await admin.end();
            const u = new URL(process.env.TEST_DATABASE_URL!);
            u.pathname = `/${name}`;
            return u.toString();
          },
        },
      ]
    : []),
];
