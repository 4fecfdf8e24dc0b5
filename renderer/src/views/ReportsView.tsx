// Reports: how the team is doing, from this computer's replica (works offline, answers at once).
// Admins see the organisation, agents what they may see: the replica holds nothing else, and
// metadata-only rows are never counted (electron/core/bridge/reportQueries.ts).
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import clsx from 'clsx';
import { Download } from 'lucide-react';
import type { ChartConfiguration } from 'chart.js';
import type { DurationStats, ReportBacklog, ReportHours, ReportSla, ReportTimes, Session } from '../../../shared/bridge';
import { canAdminister, sessionViewer } from '../../../shared/permissions';
import { useBridgeQuery } from '../lib/queries';
import { customPeriod, dayInput, delta, duration, durationUnit, heatLevel, percent, presetPeriod, presets, previousPeriod, reportCsv, targetsText, weekdays, type Period, type Preset } from '../lib/reports';
import { saveTextFile } from '../lib/saveFile';
import { relative } from '../lib/format';
import { toast } from '../state/toasts';
import { ChartCanvas, type ChartColours } from '../components/reports/Chart';

const shortDay = (day: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

function exportCsv(name: string, csv: string, period: Period): void {
  saveTextFile(csv, `parley-report-${name}-${dayInput(period.from)}-to-${dayInput(period.to - 1)}.csv`);
  toast('success', `Exported ${name.replace(/-/g, ' ')} as CSV`);
}

function Card({ title, sub, onCsv, children, wide }: { title: string; sub?: string; onCsv?: () => void; children: ReactNode; wide?: boolean }) {
  return (
    <article className={clsx('report-card', wide && 'wide')} aria-label={title}>
      <header className="report-card-head">
        <div className="grow">
          <h2>{title}</h2>
          {sub && <p className="xs muted">{sub}</p>}
        </div>
        {onCsv && (
          <button type="button" className="btn sm ghost" onClick={onCsv} aria-label={`Export ${title} as CSV`} title="Export CSV">
            <Download size={14} aria-hidden="true" /> CSV
          </button>
        )}
      </header>
      {children}
    </article>
  );
}

function Kpi({ label, value, change }: { label: string; value: string; change?: ReturnType<typeof delta> | undefined }) {
  return (
    <div className="kpi" role="group" aria-label={label}>
      <div className="xs muted">{label}</div>
      <div className="kpi-value">{value}</div>
      {change && <div className={clsx('xs kpi-delta', `tone-${change.tone}`)}>{change.text}</div>}
    </div>
  );
}

function StatTable({ rows, caption }: { rows: (DurationStats & { id: string; name: string })[]; caption: string }) {
  if (rows.length === 0) return <p className="small muted">Nothing measured in this period.</p>;
  return (
    <table className="bc-table report-table">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" className="num">Conversations</th>
          <th scope="col" className="num">Median</th>
          <th scope="col" className="num">90th percentile</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>{r.name}</td>
            <td className="num">{r.count}</td>
            <td className="num">{duration(r.medianMs)}</td>
            <td className="num">{duration(r.p90Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TimesCard({ title, sub, stats, previous, onCsv, unanswered }: {
  title: string; sub: string; stats: ReportTimes['firstResponse'] | ReportTimes['resolution']; previous?: DurationStats | undefined; onCsv: () => void; unanswered?: number;
}) {
  const config = useCallback(
    (c: ChartColours): ChartConfiguration<'bar'> => {
      const unit = durationUnit(Math.max(0, ...stats.byGroup.map((g) => g.p90Ms ?? 0)));
      return {
        type: 'bar',
        data: {
          labels: stats.byGroup.map((g) => g.name),
          datasets: [
            { label: 'Median', data: stats.byGroup.map((g) => (g.medianMs ?? 0) / unit.ms), backgroundColor: c.brand, borderRadius: 3, maxBarThickness: 22 },
            { label: '90th percentile', data: stats.byGroup.map((g) => (g.p90Ms ?? 0) / unit.ms), backgroundColor: c.brandSoft, borderColor: c.brand, borderWidth: 1, borderRadius: 3, maxBarThickness: 22 },
          ],
        },
        options: {
          indexAxis: 'y',
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } }, tooltip: { callbacks: { label: (i) => `${i.dataset.label ?? ''}: ${duration(Number(i.raw) * unit.ms)}` } } },
          scales: { x: { beginAtZero: true, ticks: { callback: (v) => `${Number(v)} ${unit.label}`, maxTicksLimit: 8 } }, y: { grid: { display: false } } },
        },
      };
    },
    [stats],
  );
  return (
    <Card title={title} sub={sub} onCsv={onCsv}>
      <div className="kpis inner">
        <Kpi label="Median" value={duration(stats.overall.medianMs)} change={previous && delta(stats.overall.medianMs, previous.medianMs, true)} />
        <Kpi label="90th percentile" value={duration(stats.overall.p90Ms)} change={previous && delta(stats.overall.p90Ms, previous.p90Ms, true)} />
        <Kpi label="Conversations" value={String(stats.overall.count)} />
        {unanswered !== undefined && <Kpi label="Not answered yet" value={String(unanswered)} />}
      </div>
      {stats.byGroup.length > 0 && (
        <div className="chart-short">
          <ChartCanvas config={config} label={`${title} by team: median and 90th percentile`} />
        </div>
      )}
      <h3 className="report-sub">By person</h3>
      <StatTable rows={stats.byAgent} caption={`${title} by person`} />
    </Card>
  );
}

function Heatmap({ hours }: { hours: ReportHours }) {
  return (
    <table className="heatmap" aria-label="Customer messages by weekday and hour">
      <thead>
        <tr>
          <td />
          {Array.from({ length: 24 }, (_, h) => (
            <th key={h} scope="col" className="xs faint">{h % 3 === 0 ? String(h).padStart(2, '0') : ''}<span className="sr-only">{h % 3 === 0 ? '' : String(h).padStart(2, '0')}:00</span></th>
          ))}
        </tr>
      </thead>
      <tbody>
        {hours.cells.map((row, w) => (
          <tr key={w}>
            <th scope="row" className="xs muted">{weekdays[w]}</th>
            {row.map((n, h) => (
              <td key={h} className={`heat heat-${heatLevel(n, hours.max)}`} title={`${weekdays[w]} ${String(h).padStart(2, '0')}:00 — ${n} message${n === 1 ? '' : 's'}`}>
                <span className="sr-only">{n}</span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BacklogCard({ backlog }: { backlog: ReportBacklog }) {
  return (
    <Card title="Backlog now" sub="Open conversations at this moment, whatever the period" onCsv={() => saveTextFile(reportCsv.backlog(backlog), `parley-report-backlog-${dayInput(Date.now())}.csv`)}>
      <div className="kpis inner">
        <Kpi label="Open" value={String(backlog.open)} />
        <Kpi label="Unassigned" value={String(backlog.unassigned)} />
        <Kpi label="Waiting on us" value={String(backlog.waitingOnUs)} />
        <Kpi label="Longest wait" value={backlog.oldestWaitingSince === null ? '—' : relative(backlog.oldestWaitingSince).replace(/ ago$/, '')} />
      </div>
      {backlog.byGroup.length > 0 && (
        <table className="bc-table report-table">
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col" className="num">Open</th>
              <th scope="col" className="num">Unassigned</th>
              <th scope="col" className="num">Waiting on us</th>
            </tr>
          </thead>
          <tbody>
            {backlog.byGroup.map((g) => (
              <tr key={g.id}>
                <td>{g.name}</td>
                <td className="num">{g.open}</td>
                <td className="num">{g.unassigned}</td>
                <td className="num">{g.waitingOnUs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function PeriodPicker({ preset, onPreset, onCustom }: { preset: Preset | 'custom'; onPreset: (p: Preset) => void; onCustom: (p: Period) => void }) {
  const [open, setOpen] = useState(false);
  const [start, setStart] = useState(() => dayInput(presetPeriod(30).from));
  const [end, setEnd] = useState(() => dayInput(Date.now()));
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    const r = customPeriod(start, end);
    if (!r.ok) return setError(r.message);
    setError(null);
    setOpen(false);
    onCustom(r.period);
  };
  return (
    <div className="report-period">
      <div className="segmented" role="group" aria-label="Period">
        {presets.map((p) => (
          <button key={p} type="button" className="btn sm" aria-pressed={preset === p} onClick={() => { setOpen(false); onPreset(p); }}>
            {p} days
          </button>
        ))}
        <button type="button" className="btn sm" aria-pressed={preset === 'custom' || open} aria-expanded={open} onClick={() => setOpen(!open)}>
          Custom…
        </button>
      </div>
      {open && (
        <div className="report-custom row">
          <label className="xs muted" htmlFor="report-from">Start date</label>
          <input id="report-from" className="input sm" type="date" value={start} max={end} onChange={(e) => setStart(e.target.value)} />
          <label className="xs muted" htmlFor="report-to">End date</label>
          <input id="report-to" className="input sm" type="date" value={end} min={start} onChange={(e) => setEnd(e.target.value)} />
          <button type="button" className="btn sm primary" onClick={apply}>Apply</button>
          {error && <span role="alert" className="xs error-text">{error}</span>}
        </div>
      )}
    </div>
  );
}

type SlaRow = ReportSla['byAgent'][number] & { targets?: number[] };

function SlaTable({ rows, caption, previous, first }: { rows: SlaRow[]; caption: string; previous?: Map<string, number | null> | undefined; first: string }) {
  if (rows.length === 0) return <p className="small muted">Nothing measured in this period.</p>;
  return (
    <table className="bc-table report-table">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col" className="num">Within target</th>
          <th scope="col" className="num">Met</th>
          <th scope="col" className="num">Missed</th>
          <th scope="col" className="num">Running</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const change = previous && delta(r.share, previous.get(r.id) ?? null);
          return (
            <tr key={r.id}>
              <td>
                {r.name}
                {r.targets !== undefined && <span className="xs muted"> · {targetsText(r.targets)}</span>}
              </td>
              <td className="num">
                {percent(r.share)}
                {change && change.tone !== 'flat' && <span className={clsx('xs kpi-delta', change.tone === 'up' ? 'tone-good' : 'tone-bad')}> {change.text.replace(' vs previous period', '')}</span>}
              </td>
              <td className="num">{r.met}</td>
              <td className="num">{r.missed}</td>
              <td className="num">{r.pending}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SlaCard({ sla, previous, onCsv }: { sla: ReportSla; previous?: ReportSla | undefined; onCsv: () => void }) {
  const config = useCallback(
    (c: ChartColours): ChartConfiguration<'bar'> => ({
      type: 'bar',
      data: {
        labels: sla.byGroup.map((g) => g.name),
        datasets: [
          { label: 'Within target', data: sla.byGroup.map((g) => Math.round((g.share ?? 0) * 100)), backgroundColor: c.brand, borderRadius: 3, maxBarThickness: 22 },
          ...(previous && previous.overall.met + previous.overall.missed > 0
            ? [{ label: 'Previous period', data: sla.byGroup.map((g) => Math.round((previous.byGroup.find((p) => p.id === g.id)?.share ?? 0) * 100)), backgroundColor: c.brandSoft, borderColor: c.brand, borderWidth: 1, borderRadius: 3, maxBarThickness: 22 }]
            : []),
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } }, tooltip: { callbacks: { label: (i) => `${i.dataset.label ?? ''}: ${Number(i.raw)}%` } } },
        scales: { x: { beginAtZero: true, max: 100, ticks: { callback: (v) => `${Number(v)}%`, maxTicksLimit: 6 } }, y: { grid: { display: false } } },
      },
    }),
    [sla, previous],
  );
  const decided = sla.overall.met + sla.overall.missed;
  const byId = (rows: ReportSla['byAgent']) => new Map(rows.map((r) => [r.id, r.share]));
  return (
    <Card title="Answered within target" sub="First replies within each team's response target, for customers who first wrote in the period. Judged by the target in force when each conversation started." onCsv={onCsv}>
      {sla.byGroup.length === 0 ? (
        <p className="small muted">No team had a response target in this period: an admin sets one under Settings → Response targets.</p>
      ) : (
        <>
          <div className="kpis inner">
            <Kpi label="Within target" value={percent(sla.overall.share)} change={previous && delta(sla.overall.share, previous.overall.share)} />
            <Kpi label="Missed" value={String(sla.overall.missed)} />
            <Kpi label="Still running" value={String(sla.overall.pending)} />
          </div>
          {decided > 0 && (
            <div className="chart-short">
              <ChartCanvas config={config} label={`Share answered within target by team: ${sla.byGroup.map((g) => `${g.name} ${percent(g.share)}`).join(', ')}`} />
            </div>
          )}
          <h3 className="report-sub">By team</h3>
          <SlaTable rows={sla.byGroup} caption="Answered within target by team" previous={previous && byId(previous.byGroup)} first="Team" />
          <h3 className="report-sub">By person</h3>
          <SlaTable rows={sla.byAgent} caption="Answered within target by person (who replied first)" previous={previous && byId(previous.byAgent)} first="Name" />
        </>
      )}
    </Card>
  );
}

export function ReportsView({ session }: { session: Session }) {
  const [preset, setPreset] = useState<Preset | 'custom'>(30);
  const [custom, setCustom] = useState<Period | null>(null);
  const [compare, setCompare] = useState(true);
  // recomputed when the choice changes (a preset ends today)
  const period = useMemo(() => (preset === 'custom' && custom ? custom : presetPeriod(preset === 'custom' ? 30 : preset)), [preset, custom]);
  const before = useMemo(() => previousPeriod(period), [period]);
  const volume = useBridgeQuery('reportVolume', period).data;
  const times = useBridgeQuery('reportTimes', period).data;
  const channels = useBridgeQuery('reportChannels', period).data;
  const hours = useBridgeQuery('reportHours', period).data;
  const backlog = useBridgeQuery('reportBacklog', {}).data;
  const sla = useBridgeQuery('reportSla', period).data;
  const prevSla = useBridgeQuery('reportSla', before, { enabled: compare }).data;
  const prevVolume = useBridgeQuery('reportVolume', before, { enabled: compare }).data;
  const prevTimes = useBridgeQuery('reportTimes', before, { enabled: compare }).data;
  const prevChannels = useBridgeQuery('reportChannels', before, { enabled: compare }).data;
  const cmp = compare ? { volume: prevVolume, times: prevTimes, channels: prevChannels } : null;
  const prevVolumeShown = compare ? prevVolume : undefined;

  const volumeConfig = useCallback(
    (c: ChartColours): ChartConfiguration<'line'> => ({
      type: 'line',
      data: {
        labels: (volume?.days ?? []).map((d) => shortDay(d.day)),
        datasets: [
          { label: 'Opened', data: (volume?.days ?? []).map((d) => d.opened), borderColor: c.brand, backgroundColor: c.brandSoft, fill: true, tension: 0.25, pointRadius: 0, borderWidth: 2 },
          { label: 'Archived', data: (volume?.days ?? []).map((d) => d.archived), borderColor: c.success, tension: 0.25, pointRadius: 0, borderWidth: 2 },
          ...(prevVolumeShown
            ? [{ label: 'Opened, previous period', data: prevVolumeShown.days.map((d) => d.opened), borderColor: c.muted, borderDash: [4, 4], tension: 0.25, pointRadius: 0, borderWidth: 1.5 }]
            : []),
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { grid: { display: false }, ticks: { maxTicksLimit: 10, autoSkip: true } } },
      },
    }),
    [volume, prevVolumeShown],
  );
  const channelConfig = useCallback(
    (c: ChartColours): ChartConfiguration<'bar'> => ({
      type: 'bar',
      data: {
        labels: (channels?.days ?? []).map((d) => shortDay(d.day)),
        datasets: [
          { label: 'SMS', data: (channels?.days ?? []).map((d) => d.sms), backgroundColor: c.sms, stack: 'm' },
          { label: 'WhatsApp', data: (channels?.days ?? []).map((d) => d.whatsapp), backgroundColor: c.wa, stack: 'm' },
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
        scales: { y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, x: { stacked: true, grid: { display: false }, ticks: { maxTicksLimit: 10, autoSkip: true } } },
      },
    }),
    [channels],
  );

  const isAdmin = canAdminister(sessionViewer(session));
  const msgTotal = (ch: typeof channels) => (ch ? ch.totals.reduce((s, t) => s + t.inbound + t.outbound, 0) : null);
  const days = Math.round((period.to - period.from) / 86_400_000);
  return (
    <section className="conv-pane reports" aria-label="Reports">
      <div className="reports-scroll">
        <header className="reports-head">
          <div className="grow">
            <h1>Reports</h1>
            <p className="small muted">
              {isAdmin ? 'Your organisation' : 'Conversations you can see'} · {dayInput(period.from)} to {dayInput(period.to - 1)} ({days} days) · computed on this computer, offline too
            </p>
          </div>
          <PeriodPicker
            preset={preset}
            onPreset={(p) => setPreset(p)}
            onCustom={(p) => {
              setCustom(p);
              setPreset('custom');
            }}
          />
          <label className="check small">
            <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} /> Compare with previous period
          </label>
        </header>

        <div className="kpis">
          <Kpi label="Conversations opened" value={volume ? String(volume.totals.opened) : '…'} change={cmp?.volume && volume ? delta(volume.totals.opened, cmp.volume.totals.opened) : undefined} />
          <Kpi label="Archived" value={volume ? String(volume.totals.archived) : '…'} change={cmp?.volume && volume ? delta(volume.totals.archived, cmp.volume.totals.archived) : undefined} />
          <Kpi label="Median first response" value={times ? duration(times.firstResponse.overall.medianMs) : '…'} change={cmp?.times && times ? delta(times.firstResponse.overall.medianMs, cmp.times.firstResponse.overall.medianMs, true) : undefined} />
          <Kpi label="Median resolution" value={times ? duration(times.resolution.overall.medianMs) : '…'} change={cmp?.times && times ? delta(times.resolution.overall.medianMs, cmp.times.resolution.overall.medianMs, true) : undefined} />
          <Kpi label="Messages" value={channels ? String(msgTotal(channels)) : '…'} change={cmp?.channels && channels ? delta(msgTotal(channels), msgTotal(cmp.channels)) : undefined} />
        </div>

        <div className="report-grid">
          <Card title="Conversations opened and archived" sub="Per day" wide onCsv={volume ? () => exportCsv('conversations-per-day', reportCsv.volume(volume), period) : undefined}>
            {volume && <ChartCanvas config={volumeConfig} label={`Conversations opened (${volume.totals.opened}) and archived (${volume.totals.archived}) per day`} />}
          </Card>
          {times && (
            <TimesCard
              title="First response time"
              sub="From the customer's first message to the first reply a person wrote"
              stats={times.firstResponse}
              previous={cmp?.times?.firstResponse.overall}
              unanswered={times.firstResponse.unanswered}
              onCsv={() => exportCsv('response-times', reportCsv.times(times), period)}
            />
          )}
          {times && (
            <TimesCard
              title="Resolution time"
              sub="From opening to archiving, for conversations archived in the period"
              stats={times.resolution}
              previous={cmp?.times?.resolution.overall}
              onCsv={() => exportCsv('response-times', reportCsv.times(times), period)}
            />
          )}
          {sla && <SlaCard sla={sla} previous={compare ? prevSla : undefined} onCsv={() => exportCsv('answered-within-target', reportCsv.sla(sla), period)} />}
          <Card title="Messages by channel" sub="Sent and received per day" onCsv={channels ? () => exportCsv('messages-by-channel', reportCsv.channels(channels), period) : undefined}>
            {channels && (
              <>
                <ChartCanvas config={channelConfig} label={`Messages per day: ${channels.totals.map((t) => `${t.channel === 'sms' ? 'SMS' : 'WhatsApp'} ${t.inbound} received, ${t.outbound} sent`).join('; ')}`} />
                <p className="xs muted report-foot">
                  {channels.totals.map((t) => `${t.channel === 'sms' ? 'SMS' : 'WhatsApp'}: ${t.inbound} received, ${t.outbound} sent`).join(' · ')}
                </p>
              </>
            )}
          </Card>
          <Card title="Busiest hours" sub="Customer messages by weekday and hour, your time" onCsv={hours ? () => exportCsv('busiest-hours', reportCsv.hours(hours), period) : undefined}>
            {hours && <Heatmap hours={hours} />}
            {hours && <p className="xs muted report-foot">{hours.total} customer messages; the darker, the busier.</p>}
          </Card>
          {backlog && <BacklogCard backlog={backlog} />}
        </div>
      </div>
    </section>
  );
}
