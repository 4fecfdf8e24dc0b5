// `npm run check:builder-config`: electron-builder.yml checked against electron-builder's own
// JSON schema (app-builder-lib's validateConfiguration, what every build runs first), plus
// the project's rules for a release (fuses, publish feed, signing, .deb dependencies).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { DebugLogger } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';

const root = resolve(import.meta.dirname, '..');

/** Release rules electron-builder's schema cannot know. Returns the problems. */
export function projectRules(c: Configuration): string[] {
  const p: string[] = [];
  const f = c.electronFuses;
  if (!f) p.push('electronFuses missing');
  else {
    if (f.runAsNode !== false) p.push('fuse runAsNode must be false');
    if (f.enableNodeOptionsEnvironmentVariable !== false) p.push('fuse enableNodeOptionsEnvironmentVariable must be false');
    if (f.enableNodeCliInspectArguments !== false) p.push('fuse enableNodeCliInspectArguments must be false');
    if (f.enableCookieEncryption !== true) p.push('fuse enableCookieEncryption must be true');
    if (f.enableEmbeddedAsarIntegrityValidation !== true) p.push('fuse enableEmbeddedAsarIntegrityValidation must be true');
    if (f.onlyLoadAppFromAsar !== true) p.push('fuse onlyLoadAppFromAsar must be true');
  }
  const publish = ([] as unknown[]).concat(c.publish ?? []) as { provider?: string; url?: string }[];
  const generic = publish.find((x) => x.provider === 'generic');
  if (!generic?.url?.startsWith('https://')) p.push('publish: a generic https:// feed is the default');
  if (c.forceCodeSigning !== true) p.push('forceCodeSigning must be true (scripts/dist.ts turns it off for local builds only)');
  if (c.deb?.depends) p.push("deb.depends replaces electron-builder's default dependencies (libnss3, libgtk…): remove it");
  if (c.directories?.app !== 'dist/app') p.push('directories.app must be dist/app (the staged app, scripts/stage-app.ts)');
  if (!c.afterPack || !String(c.afterPack).includes('check-native-abi')) p.push('afterPack must run scripts/check-native-abi.cjs');
  if (!c.nsis?.include) p.push('nsis.include must register and remove parley://');
  if (c.mac?.hardenedRuntime !== true) p.push('mac.hardenedRuntime must be true');
  return p;
}

export async function checkBuilderConfig(file = join(root, 'electron-builder.yml')): Promise<string[]> {
  const raw = load(readFileSync(file, 'utf8')) as Configuration;
  const config = await getConfig(root, file, null);
  await validateConfiguration(config, new DebugLogger(false)); // throws with the schema's message
  return projectRules(raw);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const problems = await checkBuilderConfig();
  if (problems.length) {
    console.error(`electron-builder.yml:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('electron-builder.yml: valid against electron-builder\'s schema and the release rules');
}
