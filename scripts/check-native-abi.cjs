// electron-builder afterPack hook (electron-builder.yml): reads the NODE_MODULE_VERSION of
// every packed better_sqlite3.node and fails the build unless it is the one of the packed
// Electron. A module built for Node (115 for Node 20) would fail the first database open
// inside Electron. Only a local build made where Electron's headers cannot be downloaded
// (scripts/dist.ts sets PARLEY_NATIVE_UNVERIFIED) reports the mismatch and goes on, saying
// so; a release build (PARLEY_RELEASE=1) never does.
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** NODE_MODULE_VERSION a native addon was built for (node_register_module_vN), or null (N-API or unreadable). */
function moduleVersionOf(file) {
  const m = /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'));
  return m ? Number(m[1]) : null;
}

function findFiles(dir, name, out = []) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory() && !st.isSymbolicLink()) findFiles(p, name, out);
    else if (e === name) out.push(p);
  }
  return out;
}

function electronAbi(electronVersion) {
  // node-abi knows every Electron release's NODE_MODULE_VERSION.
  return Number(require('node-abi').getAbi(electronVersion, 'electron'));
}

/** The check itself, for the hook and for tests. Returns what was found; throws on failure. */
function checkPackedNativeModules({ appOutDir, electronVersion, release, unverified, log = console.log }) {
  const want = electronAbi(electronVersion);
  const files = findFiles(appOutDir, 'better_sqlite3.node').filter((f) => f.includes('app.asar.unpacked'));
  const problems = [];
  if (files.length === 0) problems.push(`no better_sqlite3.node in ${appOutDir}/…/app.asar.unpacked`);
  const found = files.map((f) => ({ file: f, abi: moduleVersionOf(f) }));
  for (const f of found) {
    if (f.abi !== want) problems.push(`${f.file} is built for NODE_MODULE_VERSION ${f.abi ?? 'unknown'}, Electron ${electronVersion} needs ${want}`);
  }
  if (problems.length === 0) {
    log(`native module check: better_sqlite3.node is NODE_MODULE_VERSION ${want} (Electron ${electronVersion}) ✓`);
    return { ok: true, want, found };
  }
  const text = problems.join('\n  ');
  if (unverified && !release) {
    log(`native module check SKIPPED (not verified): Electron's headers/prebuilt binaries could not be downloaded here, so better-sqlite3 was not rebuilt for Electron.\n  ${text}\n  This package cannot open its database: it is for checking the package layout only.`);
    return { ok: false, skipped: true, want, found };
  }
  throw new Error(`native module check failed:\n  ${text}`);
}

module.exports = async function afterPack(context) {
  const projectDir = context.packager.info.projectDir;
  const electronVersion = context.packager.info.framework?.version ?? context.packager.config.electronVersion ?? require(join(projectDir, 'node_modules/electron/package.json')).version;
  checkPackedNativeModules({
    appOutDir: context.appOutDir,
    electronVersion,
    release: process.env.PARLEY_RELEASE === '1',
    unverified: process.env.PARLEY_NATIVE_UNVERIFIED === '1',
  });
};
module.exports.checkPackedNativeModules = checkPackedNativeModules;
module.exports.moduleVersionOf = moduleVersionOf;
module.exports.electronAbi = electronAbi;

// CLI (release workflow, after packing): node scripts/check-native-abi.cjs <folder with *-unpacked or mac*/ outputs>
if (require.main === module) {
  const dir = process.argv[2] ?? 'release';
  const electronVersion = process.argv[3] ?? require(join(process.cwd(), 'node_modules/electron/package.json')).version;
  try {
    checkPackedNativeModules({ appOutDir: dir, electronVersion, release: true, unverified: false });
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
