// Electron main entry. The crash handlers go in first, before any other module is
// evaluated: everything else (the core, better-sqlite3's native module) loads inside the
// dynamic import below, so even a module that fails to load (a native module built for
// another ABI) ends in the start-up error window instead of Electron's raw dialog.
import { installCrashHandlers, openLog, startupFailed } from './startup';

installCrashHandlers();
const log = openLog();
import('./app')
  .then((m) => m.run(log))
  .catch(startupFailed);
