/**
 * Kysely's SQLite dialect, with one correction to how a failed transaction ends.
 *
 * After some errors inside a transaction (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, SQLITE_BUSY;
 * https://sqlite.org/lang_transaction.html, "Response To Errors Within A Transaction") SQLite
 * rolls the transaction back by itself. Kysely then issues its own ROLLBACK, which fails with
 * "cannot rollback - no transaction is active", and that error replaces the one that explains
 * what happened: a full disk would answer 500 instead of 503. So ROLLBACK is sent only while a
 * transaction is still open.
 */
import { SqliteDialect, type DatabaseConnection, type Driver, type SqliteDatabase } from 'kysely';

/** `inTransaction`: whether the connection under `database` has a transaction open (better-sqlite3's `inTransaction`). */
export function sqliteDialect(database: SqliteDatabase, inTransaction: () => boolean): SqliteDialect {
  return new (class extends SqliteDialect {
    override createDriver(): Driver {
      const driver = super.createDriver();
      const rollback = driver.rollbackTransaction.bind(driver);
      driver.rollbackTransaction = async (connection: DatabaseConnection) => {
        if (inTransaction()) await rollback(connection);
      };
      return driver;
    }
  })({ database });
}
