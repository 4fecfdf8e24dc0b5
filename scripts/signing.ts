// What a signed release needs on each OS (scripts/dist.ts refuses a release build without it).
export type Os = 'mac' | 'win' | 'linux';

/** What a signed release needs per OS; empty when all is there. */
export function missingSigning(os: Os, e: NodeJS.ProcessEnv = process.env): string[] {
  const env = (k: string): boolean => (e[k] ?? '') !== '';
  if (os === 'mac') {
    const missing: string[] = [];
    if (!env('CSC_LINK') && !env('CSC_NAME')) missing.push('CSC_LINK (Developer ID Application certificate, .p12 path or base64) or CSC_NAME');
    if (env('CSC_LINK') && !env('CSC_KEY_PASSWORD')) missing.push('CSC_KEY_PASSWORD');
    const appleId = env('APPLE_ID') && env('APPLE_APP_SPECIFIC_PASSWORD') && env('APPLE_TEAM_ID');
    const apiKey = env('APPLE_API_KEY') && env('APPLE_API_KEY_ID') && env('APPLE_API_ISSUER');
    if (!appleId && !apiKey) missing.push('notarization: APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER');
    return missing;
  }
  if (os === 'win') {
    const pfx = (env('WIN_CSC_LINK') || env('CSC_LINK')) && (env('WIN_CSC_KEY_PASSWORD') || env('CSC_KEY_PASSWORD'));
    const azure = env('AZURE_TENANT_ID') && env('AZURE_CLIENT_ID') && env('AZURE_CLIENT_SECRET');
    return pfx || azure ? [] : ['WIN_CSC_LINK/CSC_LINK + WIN_CSC_KEY_PASSWORD/CSC_KEY_PASSWORD (Authenticode .pfx), or AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (Azure Trusted Signing, with win.azureSignOptions)'];
  }
  return []; // .deb packages are not signed; the release publishes SHA256SUMS beside them
}
