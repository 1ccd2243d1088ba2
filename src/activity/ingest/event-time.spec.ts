import { MAX_FUTURE_MS, resolveEventTime } from './event-time';

describe(resolveEventTime.name, () => {
  const received = new Date('2026-11-26T12:00:00.000Z');

  it('uses the receive time when the client gives none', () => {
    expect(resolveEventTime(received)).toEqual({ timestamp: received, clamped: false });
  });

  it('takes the client timestamp as is without sent_at', () => {
    const at = new Date('2026-11-26T11:00:00.000Z');
    expect(resolveEventTime(received, at)).toEqual({ timestamp: at, clamped: false });
  });

  it('cancels the client clock offset with sent_at', () => {
    // The client clock is 10 minutes fast: it says the event was 5 s before sending.
    const timestamp = new Date('2026-11-26T12:09:55.000Z');
    const sentAt = new Date('2026-11-26T12:10:00.000Z');
    expect(resolveEventTime(received, timestamp, sentAt)).toEqual({ timestamp: new Date('2026-11-26T11:59:55.000Z'), clamped: false });
  });

  it('clamps a time more than a day ahead to the receive time, and flags it', () => {
    expect(resolveEventTime(received, new Date(received.getTime() + MAX_FUTURE_MS + 1))).toEqual({ timestamp: received, clamped: true });
    expect(resolveEventTime(received, new Date(received.getTime() + MAX_FUTURE_MS)).clamped).toBe(false);
  });
});
