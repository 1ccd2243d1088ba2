'use client';
import { useEffect, useMemo, useState } from 'react';
import type { DigestFrequency, MatrixUpdate, NotificationSchedule, PreferenceMatrix } from '../sdk/types';
import { type ClientProps, clientFor } from './inbox-client';

/** The words the settings panel says; replace any for another language. */
export interface SettingsLabels {
  title: string;
  type: string;
  channel: (channel: string) => string;
  required: string;
  digest: string;
  digests: Record<DigestFrequency, string>;
  quietHours: string;
  timezone: string;
  days: [string, string, string, string, string, string, string];
  from: string;
  to: string;
  saveQuietHours: string;
  pause: string;
  pauseHour: string;
  pauseTomorrow: string;
  resume: string;
  pausedUntil: (until: string) => string;
  loading: string;
  error: string;
  saved: string;
}

export const DEFAULT_SETTINGS_LABELS: SettingsLabels = {
  title: 'Notification settings',
  type: 'Notification',
  channel: (channel) =>
    ({ in_app: 'In app', email: 'Email', sms: 'SMS', push: 'Push', slack: 'Slack', webhook: 'Webhook' })[channel] ?? channel,
  required: 'Always on: you cannot turn these off',
  digest: 'How often',
  digests: { instant: 'At once', hourly: 'Hourly digest', daily: 'Daily digest', weekly: 'Weekly digest' },
  quietHours: 'Quiet hours',
  timezone: 'Time zone',
  days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  from: 'From',
  to: 'To',
  saveQuietHours: 'Save quiet hours',
  pause: 'Do not disturb',
  pauseHour: 'Pause for 1 hour',
  pauseTomorrow: 'Pause until tomorrow',
  resume: 'Resume notifications',
  pausedUntil: (until) => `Paused until ${until}`,
  loading: 'Loading…',
  error: 'Your change could not be saved',
  saved: 'Saved',
};

export interface NotificationSettingsProps extends ClientProps {
  /** The channels to show (default: every channel the service knows but webhook). */
  channels?: string[];
  locale?: string;
  labels?: Partial<SettingsLabels>;
  className?: string;
}

interface DayWindow {
  on: boolean;
  start: string;
  end: string;
}

function daysOf(schedule: NotificationSchedule): DayWindow[] {
  const days: DayWindow[] = Array.from({ length: 7 }, () => ({ on: false, start: '22:00', end: '07:00' }));
  for (const window of schedule.quiet_hours) {
    for (const day of window.days) if (!days[day - 1].on) days[day - 1] = { on: true, start: window.start, end: window.end };
  }
  return days;
}

function timezones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

/**
 * A user's notification settings: the types × channels matrix as switches (required types locked,
 * with the reason), a digest choice per type, quiet hours per weekday in a timezone, and pause.
 * Every change shows at once and is saved; one the service refuses is undone, with a message.
 */
export function NotificationSettings(props: NotificationSettingsProps) {
  const labels = { ...DEFAULT_SETTINGS_LABELS, ...props.labels };
  const client = useMemo(() => clientFor(props), [props.client, props.userId, props.token, props.getToken, props.baseUrl]);
  const [matrix, setMatrix] = useState<PreferenceMatrix | null>(null);
  const [schedule, setSchedule] = useState<NotificationSchedule | null>(null);
  const [days, setDays] = useState<DayWindow[]>([]);
  const [timezone, setTimezone] = useState('UTC');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => {
    let current = true;
    Promise.all([client.preferenceMatrix(), client.schedule()]).then(
      ([loadedMatrix, loadedSchedule]) => {
        if (!current) return;
        setMatrix(loadedMatrix);
        setSchedule(loadedSchedule);
        setDays(daysOf(loadedSchedule));
        setTimezone(loadedSchedule.timezone);
      },
      (error: Error) => current && setMessage({ text: error.message, error: true }),
    );
    return () => {
      current = false;
    };
  }, [client]);

  if (!matrix || !schedule) {
    return (
      <section className={props.className ?? 'engage-settings'} aria-label={labels.title}>
        {message ? <p role="alert">{message.text}</p> : <p>{labels.loading}</p>}
      </section>
    );
  }

  const channels = props.channels ?? matrix.channels.filter((channel) => channel !== 'webhook');
  const channelIndex = (channel: string) => matrix.channels.indexOf(channel);

  /** Shows `next` at once, saves `update`, and takes the service's matrix, or puts `matrix` back. */
  const save = async (next: PreferenceMatrix, update: MatrixUpdate) => {
    const before = matrix;
    setMatrix(next);
    try {
      setMatrix(await client.updatePreferences(update));
      setMessage({ text: labels.saved, error: false });
    } catch (error) {
      setMatrix(before);
      setMessage({ text: `${labels.error}: ${(error as Error).message}`, error: true });
    }
  };

  const toggle = (type: string, channel: string, enabled: boolean) => {
    const next = {
      ...matrix,
      types: matrix.types.map((row) =>
        row.notification_type !== type
          ? row
          : {
              ...row,
              cells: row.cells.map((cell) => (cell.channel === channel ? { ...cell, enabled, source: 'user_type_channel' } : cell)),
            },
      ),
    };
    void save(next, { cells: [{ notification_type: type, channel, enabled }] });
  };

  const chooseDigest = (type: string, digest: DigestFrequency) => {
    const next = {
      ...matrix,
      types: matrix.types.map((row) => (row.notification_type === type ? { ...row, digest, digest_source: 'user_type' } : row)),
    };
    void save(next, { digests: [{ notification_type: type, digest }] });
  };

  const scheduleCall = async (call: () => Promise<NotificationSchedule>) => {
    try {
      const updated = await call();
      setSchedule(updated);
      setMessage({ text: labels.saved, error: false });
    } catch (error) {
      setMessage({ text: `${labels.error}: ${(error as Error).message}`, error: true });
    }
  };

  const saveQuietHours = () => {
    const quiet_hours = days.flatMap((day, index) => (day.on ? [{ days: [index + 1], start: day.start, end: day.end }] : []));
    void scheduleCall(() => client.putSchedule({ timezone, quiet_hours }));
  };

  const pausedUntil = schedule.paused_until ? new Date(schedule.paused_until) : null;
  return (
    <section className={props.className ?? 'engage-settings'} aria-label={labels.title}>
      <table className="engage-settings__matrix">
        <caption>{labels.title}</caption>
        <thead>
          <tr>
            <th scope="col">{labels.type}</th>
            {channels.map((channel) => (
              <th scope="col" key={channel}>
                {labels.channel(channel)}
              </th>
            ))}
            <th scope="col">{labels.digest}</th>
          </tr>
        </thead>
        <tbody>
          {matrix.types.map((row) => {
            const name = row.label ?? row.notification_type;
            const reasonId = `engage-required-${row.notification_type}`;
            return (
              <tr key={row.notification_type}>
                <th scope="row">
                  {name}
                  {row.description && <span className="engage-settings__description">{row.description}</span>}
                  {row.required && (
                    <span id={reasonId} className="engage-settings__required">
                      {labels.required}
                    </span>
                  )}
                </th>
                {channels.map((channel) => {
                  const cell = row.cells[channelIndex(channel)];
                  if (!cell) return <td key={channel} />;
                  return (
                    <td key={channel}>
                      <button
                        type="button"
                        role="switch"
                        aria-checked={cell.enabled}
                        aria-label={`${name}: ${labels.channel(channel)}`}
                        aria-disabled={row.required || undefined}
                        aria-describedby={row.required ? reasonId : undefined}
                        className="engage-settings__switch"
                        onClick={() => !row.required && toggle(row.notification_type, channel, !cell.enabled)}
                      />
                    </td>
                  );
                })}
                <td>
                  <select
                    aria-label={`${name}: ${labels.digest}`}
                    value={row.digest}
                    disabled={row.required}
                    onChange={(event) => chooseDigest(row.notification_type, event.target.value as DigestFrequency)}
                  >
                    {(['instant', 'hourly', 'daily', 'weekly'] as const).map((frequency) => (
                      <option key={frequency} value={frequency}>
                        {labels.digests[frequency]}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <fieldset className="engage-settings__quiet">
        <legend>{labels.quietHours}</legend>
        <label>
          {labels.timezone}{' '}
          <select value={timezone} onChange={(event) => setTimezone(event.target.value)}>
            {[...new Set([timezone, ...timezones()])].map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </label>
        {days.map((day, index) => {
          const set = (fields: Partial<DayWindow>) => setDays(days.map((d, i) => (i === index ? { ...d, ...fields } : d)));
          return (
            <div key={index} className="engage-settings__day">
              <label>
                <input type="checkbox" checked={day.on} onChange={(event) => set({ on: event.target.checked })} /> {labels.days[index]}
              </label>
              <label>
                {labels.from}{' '}
                <input type="time" value={day.start} disabled={!day.on} onChange={(event) => set({ start: event.target.value })} />
              </label>
              <label>
                {labels.to} <input type="time" value={day.end} disabled={!day.on} onChange={(event) => set({ end: event.target.value })} />
              </label>
            </div>
          );
        })}
        <button type="button" onClick={saveQuietHours}>
          {labels.saveQuietHours}
        </button>
      </fieldset>

      <fieldset className="engage-settings__pause">
        <legend>{labels.pause}</legend>
        {pausedUntil && pausedUntil > new Date() ? (
          <>
            <p>{labels.pausedUntil(pausedUntil.toLocaleString(props.locale))}</p>
            <button type="button" onClick={() => void scheduleCall(() => client.resume())}>
              {labels.resume}
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={() => void scheduleCall(() => client.pause({ minutes: 60 }))}>
              {labels.pauseHour}
            </button>
            <button type="button" onClick={() => void scheduleCall(() => client.pause({ until_tomorrow: true }))}>
              {labels.pauseTomorrow}
            </button>
          </>
        )}
      </fieldset>
      <p role={message?.error ? 'alert' : 'status'} className="engage-settings__message">
        {message?.text ?? ''}
      </p>
    </section>
  );
}

export default NotificationSettings;
