// Theme: follow the OS unless the user chose light or dark. The resolved theme is always
// written to data-theme on <html>, so the stylesheets define each palette once.
import { useEffect } from 'react';
import { useUi } from '../state/ui';

export function useThemeEffect() {
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => document.documentElement.setAttribute('data-theme', effectiveTheme(theme));
    apply();
    if (theme !== 'system') return;
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

export function effectiveTheme(pref: 'system' | 'light' | 'dark'): 'light' | 'dark' {
  if (pref !== 'system') return pref;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
