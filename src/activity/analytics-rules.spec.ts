import {
  applyActivity,
  applySessionEnd,
  applySessionStart,
  counterFor,
  emptyAnalytics,
  engagementScore,
  referrerHost,
  updateTopN,
} from './analytics-rules';

describe('analytics rules', () => {
  describe(updateTopN.name, () => {
    it('adds entries until the list is full, highest count first, ties by key', () => {
      let sut = updateTopN([], '/b', 1);
      sut = updateTopN(sut, '/a', 1);
      sut = updateTopN(sut, '/c', 2);
      expect(sut).toEqual([
        { key: '/c', count: 2 },
        { key: '/a', count: 1 },
        { key: '/b', count: 1 },
      ]);
    });

    it('ignores a key that does not outrank the last entry of a full list', () => {
      const full = ['/1', '/2', '/3', '/4', '/5'].map((key) => ({ key, count: 2 }));
      expect(updateTopN(full, '/9', 2)).toBe(full);
      expect(updateTopN(full, '/9', 1)).toBe(full);
    });

    it('lets a key outside a full list replace the last entry once it outranks it', () => {
      const full = ['/1', '/2', '/3', '/4', '/5'].map((key) => ({ key, count: 2 }));
      expect(updateTopN(full, '/0', 2).map((e) => e.key)).toEqual(['/0', '/1', '/2', '/3', '/4']);
      expect(updateTopN(full, '/9', 3)).toEqual([{ key: '/9', count: 3 }, ...full.slice(0, 4)]);
    });

    it('re-sorts a key already in the list when its count grows', () => {
      const list = [
        { key: '/a', count: 3 },
        { key: '/b', count: 2 },
      ];
      expect(updateTopN(list, '/b', 4)).toEqual([
        { key: '/b', count: 4 },
        { key: '/a', count: 3 },
      ]);
    });
  });

  describe(engagementScore.name, () => {
    it.each([
      [0, 0, 0, 0],
      [100, 10, 600, 100],
      [1000, 50, 5000, 100],
      [50, 5, 300, 50],
      [12, 2, 120, 16.8],
      [1, 0, 0, 0.4],
    ])('scores %i activities, %i sessions, %is average as %d', (totalActivities, totalSessions, avgSessionDuration, expected) => {
      expect(engagementScore({ totalActivities, totalSessions, avgSessionDuration })).toBe(expected);
    });
  });

  it.each([
    ['https://www.google.com/search?q=engage', 'google.com'],
    ['https://news.ycombinator.com/item?id=1', 'news.ycombinator.com'],
    ['not a url', null],
    ['', null],
  ])('takes the host of referrer %s', (referrer, host) => {
    expect(referrerHost(referrer)).toBe(host);
  });

  describe(counterFor.name, () => {
    it('counts page views by page_url, other types by type, and page views without a URL not at all', () => {
      expect(counterFor('page_view', '/x')).toEqual({ kind: 'page', key: '/x' });
      expect(counterFor('page_view', null)).toBeNull();
      expect(counterFor('search', '/x')).toEqual({ kind: 'feature', key: 'search' });
    });
  });

  it('keeps first/last activity as min/max even when events arrive out of order', () => {
    const sut = emptyAnalytics('u');
    applyActivity(sut, new Date('2026-01-02T00:00:00Z'), []);
    applyActivity(sut, new Date('2026-01-01T00:00:00Z'), []);
    applyActivity(sut, new Date('2026-01-03T00:00:00Z'), []);
    expect(sut.firstActivity?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(sut.lastActivity?.toISOString()).toBe('2026-01-03T00:00:00.000Z');
    expect(sut.totalActivities).toBe(3);
  });

  it('averages only ended sessions', () => {
    const sut = emptyAnalytics('u');
    applySessionStart(sut);
    applySessionStart(sut);
    applySessionStart(sut);
    applySessionEnd(sut, 10);
    applySessionEnd(sut, 25);
    expect(sut.totalSessions).toBe(3);
    expect(sut.avgSessionDuration).toBe(17.5);
  });
});
