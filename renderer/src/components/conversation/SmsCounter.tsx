// "87 / 160 · 1 text"; names the character that forces the 70-character limit.
import { formatSmsCounter, smsInfo } from '../../../../shared/sms';

export function SmsCounter({ text }: { text: string }) {
  const info = smsInfo(text);
  const shown = info.nonGsmChars.slice(0, 3).map((c) => `“${c}”`).join(', ');
  return (
    <span className="counter xs" aria-live="polite" aria-label={`SMS length: ${formatSmsCounter(info)}`}>
      {info.nonGsmChars.length > 0 && (
        <span className="counter-hint" title="These characters are not in the GSM alphabet, so each text holds 70 characters instead of 160.">
          {shown} limits texts to 70 characters ·{' '}
        </span>
      )}
      <span className={info.parts > 1 ? 'counter-multi' : undefined}>{formatSmsCounter(info)}</span>
    </span>
  );
}
