// A process that writes through the built TransactionRunner as fast as it can and prints
// "ack <n>" after each unit is acknowledged; the crash test kills it with SIGKILL mid-flight.
const { DataSource } = require('typeorm');
const { TransactionRunner } = require('../../dist/src/database/engine/transaction-runner');

async function main() {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: process.argv[2],
    enableWAL: true,
    prepareDatabase: (db) => db.pragma('synchronous = NORMAL'),
  });
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE IF NOT EXISTS acked (n INTEGER PRIMARY KEY)');
  const runner = new TransactionRunner(dataSource);
  let n = 0;
  // Keep ~50 units in flight, as 50 concurrent requests would.
  const one = async () => {
    for (;;) {
      const mine = ++n;
      await runner.run((manager) => manager.query('INSERT INTO acked (n) VALUES (?)', [mine]));
      process.stdout.write(`ack ${mine}\n`);
    }
  };
  await Promise.all(Array.from({ length: 50 }, one));
}
main();
