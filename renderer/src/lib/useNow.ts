import { useEffect, useState } from 'react';

/** The current time, refreshed every `ms`: keeps render pure while "closes in 3 h" stays current. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
