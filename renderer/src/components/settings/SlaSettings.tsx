// Per team: the first-response target (SLA) and the business hours it counts in. A synced
// mutation (setGroupSla, admins only): the relay re-runs it and refuses bad hours in sentences,
// shown under the form.
import { useState, type FormEvent } from 'react';
import { Timer } from 'lucide-react';
import type { Group } from '../../../../shared/schema';
import { WEEKDAYS, WEEKDAY_LABEL, type BusinessHours, type Weekday } from '../../../../shared/domain/sla';
import { useDirectory } from '../../lib/directory';
import { mutate } from '../../lib/mutate';
import { toast } from '../../state/toasts';

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const zones = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();
const OFFICE: BusinessHours['days'] = { mon: ['09:00', '17:30'], tue: ['09:00', '17:30'], wed: ['09:00', '17:30'], thu: ['09:00', '17:30'], fri: ['09:00', '17:30'] };

type Unit = 'minutes' | 'hours';
const splitTarget = (m: number | null): { value: string; unit: Unit } =>
  m === null ? { value: '', unit: 'hours' } : m % 60 === 0 ? { value: String(m / 60), unit: 'hours' } : { value: String(m), unit: 'minutes' };

function GroupSla({ g }: { g: Group }) {
  const initial = splitTarget(g.slaFirstResponseMinutes);
  const [on, setOn] = useState(g.slaFirstResponseMinutes !== null);
  const [value, setValue] = useState(initial.value || '1');
  const [unit, setUnit] = useState<Unit>(initial.unit);
  const [business, setBusiness] = useState(g.businessHours !== null);
  const [tz, setTz] = useState(g.businessHours?.tz ?? localZone());
  const [days, setDays] = useState<BusinessHours['days']>(g.businessHours?.days ?? OFFICE);
  const [refusal, setRefusal] = useState<string | null>(null);
  const setDay = (d: Weekday, span: [string, string] | undefined) =>
    setDays((x) => {
      const next = { ...x };
      if (span) next[d] = span;
      else delete next[d];
      return next;
    });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setRefusal(null);
    const n = Number(value);
    const minutes = on ? Math.round(unit === 'hours' ? n * 60 : n) : null;
    const r = await mutate('setGroupSla', { groupId: g.id, minutes, businessHours: on && business ? { tz: tz.trim(), days } : null }, { quiet: true });
    if (r.ok) toast('success', on ? `Saved the response target of ${g.name}` : `${g.name} has no response target now`);
    else setRefusal(r.message);
  };
  const id = (s: string) => `sla-${g.id}-${s}`;
  return (
    <form className="sla-group" aria-label={`Response target of ${g.name}`} onSubmit={(e) => void save(e)}>
      <div className="row gap">
        <span className="strong grow">{g.name}</span>
        <label className="check small">
          <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} />
          First-response target
        </label>
        {on && (
          <>
            <input
              className="input sla-target"
              type="number"
              min={1}
              step="any"
              aria-label={`First-response target of ${g.name}`}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
            <select className="select" aria-label={`Unit of the target of ${g.name}`} value={unit} onChange={(e) => setUnit(e.target.value as Unit)}>
              <option value="minutes">minutes</option>
              <option value="hours">hours</option>
            </select>
          </>
        )}
        <button type="submit" className="btn sm">
          Save
        </button>
      </div>
      {on && (
        <div className="sla-hours">
          <label className="check small">
            <input type="checkbox" checked={business} onChange={(e) => setBusiness(e.target.checked)} />
            Count business hours only (otherwise around the clock)
          </label>
          {business && (
            <>
              <div className="sla-tz-row row gap">
                <label htmlFor={id('tz')} className="small sla-day-name">
                  Time zone
                </label>
                <input id={id('tz')} className="input sla-tz" list={id('zones')} value={tz} onChange={(e) => setTz(e.target.value)} placeholder="Europe/London" />
                <datalist id={id('zones')}>
                  {zones.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </div>
              <div className="sla-days" role="group" aria-label={`Business hours of ${g.name}`}>
                {WEEKDAYS.map((d) => {
                  const span = days[d];
                  return (
                    <div key={d} className="sla-day row gap">
                      <label className="check small sla-day-name">
                        <input type="checkbox" checked={!!span} onChange={(e) => setDay(d, e.target.checked ? ['09:00', '17:30'] : undefined)} />
                        {WEEKDAY_LABEL[d]}
                      </label>
                      {span ? (
                        <>
                          <input className="input sla-time" type="time" aria-label={`${WEEKDAY_LABEL[d]} opens`} value={span[0]} onChange={(e) => setDay(d, [e.target.value, span[1]])} />
                          <span className="xs muted">to</span>
                          <input className="input sla-time" type="time" aria-label={`${WEEKDAY_LABEL[d]} closes`} value={span[1] === '24:00' ? '00:00' : span[1]} onChange={(e) => setDay(d, [span[0], e.target.value])} />
                        </>
                      ) : (
                        <span className="xs muted">Closed</span>
                      )}
                    </div>
                  );
                })}
              </div>
            </>
          )}
        </div>
      )}
      {refusal && (
        <p className="form-refusal" role="alert">
          {refusal}
        </p>
      )}
    </form>
  );
}

export function SlaSettings() {
  const dir = useDirectory();
  return (
    <section className="contact-sec" aria-labelledby="sla-h">
      <h3 id="sla-h">
        <Timer size={14} aria-hidden="true" /> Response targets
      </h3>
      <p className="xs muted">
        How soon a customer who writes gets a first reply. The inbox shows the time left on waiting conversations and can sort by it; assignees are notified 15 minutes before a
        target is missed; Reports show the share answered within target, judging each conversation by the target in force when it started (a change does not rewrite past periods).
      </p>
      {dir.groups.map((g) => (
        <GroupSla key={`${g.id}:${g.version}`} g={g} />
      ))}
    </section>
  );
}
