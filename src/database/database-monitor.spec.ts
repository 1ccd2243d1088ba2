import { Logger } from '@nestjs/common';
import { DatabaseMonitor, LONG_LOCK_WAIT_MS, STORAGE_FAILURE_HOLD_MS } from './database-monitor';

describe('DatabaseMonitor', () => {
  it('reports a failure to health only while failures keep coming, and logs the burst once until a write commits', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const monitor = new DatabaseMonitor();
      monitor.register('activity');
      monitor.storageFailed('activity', 'SQLITE_FULL', 'database or disk is full');
      const first = monitor.failure('activity');
      expect(first).toMatchObject({ code: 'SQLITE_FULL', failures: 1 });
      const start = first!.lastAt.getTime();
      expect(monitor.failure('activity', start + STORAGE_FAILURE_HOLD_MS - 1)).toBeDefined();
      // No failure for the hold: health says 200 again, so a balancer sends writes back.
      expect(monitor.failure('activity', start + STORAGE_FAILURE_HOLD_MS)).toBeUndefined();
      // Another failure: unhealthy again, in the same burst (no second warning).
      monitor.storageFailed('activity', 'SQLITE_FULL', 'database or disk is full');
      expect(monitor.failure('activity')).toMatchObject({ failures: 2 });
      expect(warn).toHaveBeenCalledTimes(1);
      monitor.committed('activity', 3);
      expect(monitor.failure('activity')).toBeUndefined();
      expect(log.mock.calls.map(([message]) => String(message))).toEqual([
        expect.stringMatching(/^activity database: writes succeed again, after 2 failed/),
      ]);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it("names a database in health only after a long wait for another process's lock, for a while", () => {
    const monitor = new DatabaseMonitor();
    monitor.lockWaited('activity', 0);
    monitor.lockWaited('notification', LONG_LOCK_WAIT_MS - 1);
    expect(monitor.recentlyLocked(10_000)).toEqual([]);
    monitor.lockWaited('activity', LONG_LOCK_WAIT_MS);
    expect(monitor.recentlyLocked(10_000)).toEqual(['activity']);
    expect(monitor.recentlyLocked(10_000, Date.now() + 10_000)).toEqual([]);
  });
});
