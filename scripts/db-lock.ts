// Pins the migrations of drizzle/server, drizzle/client and drizzle/postgres in their migrations.lock.json:
// new migrations are appended; a landed one that changed is refused (write a new one).
// Run by `npm run db:generate:*` after drizzle-kit, and alone as `npm run db:lock`.
import { MigrationMismatchError, updateLock } from '../drizzle/migrations';

let failed = false;
for (const side of ['server', 'client', 'postgres']) {
  try {
    const added = updateLock(`drizzle/${side}`);
    console.log(`drizzle/${side}: ${added.length ? `locked ${added.join(', ')}` : 'nothing new'}`);
  } catch (e) {
    if (!(e instanceof MigrationMismatchError)) throw e;
    failed = true;
    console.error(`drizzle/${side}: landed migrations changed — restore them and add a new migration instead:\n${e.message}`);
  }
}
process.exit(failed ? 1 : 0);
