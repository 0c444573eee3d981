import type { Logger } from 'pino';

/** Postgres statements are logged by their first characters only: enough to find them in the code. */
const QUERY_CHARS = 160;

/**
 * TypeORM's logger interface (`Logger` in typeorm/logger), written out so this library needs no
 * TypeORM: a DataSource accepts any object with these methods.
 */
export interface DatabaseLog {
  logQuery(query: string, parameters?: unknown[]): void;
  logQueryError(error: string | Error, query: string, parameters?: unknown[]): void;
  logQuerySlow(time: number, query: string, parameters?: unknown[]): void;
  logSchemaBuild(message: string): void;
  logMigration(message: string): void;
  log(level: 'log' | 'info' | 'warn', message: unknown): void;
}

/**
 * Routes TypeORM's messages through the service logger (and so its masking), and **never logs query
 * parameters**: they carry wrapped data keys, sealed values and externalIds. TypeORM's own loggers
 * print failed queries with their parameters straight to the console. A failed query is logged with
 * its SQLSTATE, the database's message (masked like every log line) and the statement's start.
 */
export function databaseLog(log: Logger): DatabaseLog {
  return {
    logQuery: () => undefined,
    logQueryError: (error, query) =>
      log.error(
        { sqlState: sqlStateOf(error), query: statementStart(query) },
        `database query failed: ${error instanceof Error ? error.message : error}`,
      ),
    logQuerySlow: (time, query) =>
      log.warn({ ms: time, query: statementStart(query) }, 'slow database query'),
    logSchemaBuild: (message) => log.debug(message),
    logMigration: (message) => log.info(message),
    log: (level, message) => (level === 'warn' ? log.warn(String(message)) : log.debug(String(message))),
  };
}

const statementStart = (query: string): string => {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length <= QUERY_CHARS ? flat : `${flat.slice(0, QUERY_CHARS)}…`;
};

const sqlStateOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};
