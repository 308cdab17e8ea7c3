// Child process for the crash-consistency test: ingests synthetic polls through the store until killed,
// printing a line after each committed poll; resumes after the polls the file already holds.
// Run as `node --import ./ts-source.ts ingest-loop.ts <file>`.
import { openStore } from './store';
import { syntheticPolls } from './synthetic-polls.testkit';

const file = process.argv[2];
if (!file) throw new Error('usage: ingest-loop.ts <database file>');
const store = await openStore({ file });
const { polls: done } = await store.stats();
let index = 0;
// 2,000 devices (4,000 rows a poll): a write still spans many pages, and four kill rounds fit the 30 s test limit on a loaded runner.
for (const poll of syntheticPolls({ devices: 2_000, polls: Number.MAX_SAFE_INTEGER, changeRate: 0.5, absentRate: 0 })) {
  if (index++ < done) continue;
  await store.ingest(poll);
  process.stdout.write(`committed ${poll.pollId} ${poll.rows.length}\n`);
}
