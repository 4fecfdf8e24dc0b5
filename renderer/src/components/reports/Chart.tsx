// A Chart.js chart on a canvas. Chart.js draws on canvas and, since v3, injects no stylesheet
// and evaluates no code, so it runs under our CSP (style-src 'self', no unsafe-eval); the size
// it sets on the canvas goes through the CSSOM, which the CSP allows. Only the parts used are
// registered (tree-shaken). Colours come from the theme's CSS variables; the chart is drawn
// again when the theme changes. No animation: figures appear at once and screenshots are stable.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
  type ChartConfiguration, type ChartType,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

/** The theme's colours a chart uses, read from the stylesheet (theme.css). */
export interface ChartColours {
  text: string;
  grid: string;
  brand: string;
  brandSoft: string;
  sms: string;
  wa: string;
  muted: string;
  success: string;
  warning: string;
}

function colours(): ChartColours {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    text: v('--text-2'), grid: v('--border'), brand: v('--brand'), brandSoft: v('--brand-soft'), sms: v('--sms'), wa: v('--wa'),
    muted: v('--text-3'), success: v('--success'), warning: v('--warning'),
  };
}

/** The resolved theme on <html> (set by useThemeEffect after children's effects run): charts follow it. */
function useDataTheme(): string {
  return useSyncExternalStore(
    (notify) => {
      const o = new MutationObserver(notify);
      o.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
      return () => o.disconnect();
    },
    () => document.documentElement.getAttribute('data-theme') ?? 'light',
  );
}

export function ChartCanvas<T extends ChartType>({ config, label }: { config: (c: ChartColours) => ChartConfiguration<T>; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const theme = useDataTheme();
  const chart = useRef<Chart<T> | null>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const c = colours();
    const cfg = config(c);
    cfg.options = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      ...cfg.options,
    } as typeof cfg.options;
    Chart.defaults.color = c.text;
    Chart.defaults.borderColor = c.grid;
    Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font');
    if (chart.current) {
      chart.current.data = cfg.data;
      if (cfg.options) chart.current.options = cfg.options;
      chart.current.update();
    } else {
      chart.current = new Chart(canvas, cfg);
    }
  }, [config, theme]);
  useEffect(() => () => {
    chart.current?.destroy();
    chart.current = null;
  }, []);
  return (
    <div className="chart-box">
      <canvas ref={ref} role="img" aria-label={label} />
    </div>
  );
}
