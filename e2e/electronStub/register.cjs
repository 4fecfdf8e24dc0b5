// Loaded with `node --require` before dist/electron/main.cjs: `require('electron')` gets
// the recording stub of Electron's API beside this file. Only Electron is stubbed; the
// bundle's own modules (core, protocol handler, IPC checks…) run for real.
const Module = require('node:module');
const { join } = require('node:path');
const stub = join(__dirname, 'electron.cjs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'electron') return stub;
  return resolve.call(this, request, ...rest);
};

// PARLEY_STUB_BREAK_NATIVE=1 plays a native module built for another ABI (what an
// installer without the Electron rebuild would ship): loading better-sqlite3 throws.
if (process.env.PARLEY_STUB_BREAK_NATIVE === '1') {
  const load = Module._load;
  Module._load = function (request, ...rest) {
    if (request === 'better-sqlite3') {
      throw new Error("The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 145.");
    }
    return load.call(this, request, ...rest);
  };
}
