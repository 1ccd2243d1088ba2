import { addDays, funnelCounts, periodsBetween, StepEvent, weekStart } from './insights-rules';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 9, minutes));
const event = (userId: string, step: string, minutes: number): StepEvent => ({
  userId,
  activityType: step,
  pageUrl: null,
  timestamp: at(minutes),
});

describe('insights rules', () => {
  it('finds ISO week starts (Mondays) and periods', () => {
    expect(weekStart('2026-11-26')).toBe('2026-11-23'); // a Thursday
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(weekStart('2026-11-29')).toBe('2026-11-23'); // a Sunday
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(periodsBetween('2026-11-26', '2026-12-08', 'week')).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
    expect(periodsBetween('2026-11-29', '2026-12-01', 'day')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
  });

  describe(funnelCounts.name, () => {
    const steps = ['visit', 'signup', 'purchase'];

    it('counts users at each step in order within the window', () => {
      const events = [
        event('a', 'visit', 0),
        event('a', 'signup', 5),
        event('a', 'purchase', 10), // all three
        event('b', 'visit', 0),
        event('b', 'purchase', 1),
        event('b', 'signup', 2), // purchase before signup
        event('c', 'signup', 0),
        event('c', 'visit', 1), // signup before visit: only the visit counts
        event('d', 'visit', 0),
        event('d', 'signup', 61), // signup outside a 60-minute window
      ];
      expect(funnelCounts(events, steps, 60 * 60_000)).toEqual([4, 2, 1]);
    });

    it('tries every start of the first step', () => {
      // The first visit leads nowhere in time; the second completes the funnel.
      const events = [event('e', 'visit', 0), event('e', 'visit', 100), event('e', 'signup', 101), event('e', 'purchase', 102)];
      expect(funnelCounts(events, steps, 10 * 60_000)).toEqual([1, 1, 1]);
    });

    it('matches a step by page_url too', () => {
      const events: StepEvent[] = [
        { userId: 'f', activityType: 'page_view', pageUrl: '/pricing', timestamp: at(0) },
        { userId: 'f', activityType: 'signup', pageUrl: null, timestamp: at(1) },
      ];
      expect(funnelCounts(events, ['/pricing', 'signup'], 60_000 * 5)).toEqual([1, 1]);
    });

    it('agrees with trying every start against the whole history, on random histories', () => {
      // The definition, run directly: from each occurrence of the first step, match the rest greedily
      // in time order within the window; a user counts at the deepest step any start reaches.
      const hits = (e: StepEvent, step: string) => e.activityType === step || e.pageUrl === step;
      const reference = (events: StepEvent[], funnel: string[], withinMs: number): number[] => {
        const reached = new Array<number>(funnel.length).fill(0);
        const byUser = new Map<string, StepEvent[]>();
        for (const e of events) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
        for (const history of byUser.values()) {
          let deepest = 0;
          history.forEach((start, i) => {
            if (!hits(start, funnel[0])) return;
            let depth = 1;
            for (const next of history.slice(i + 1)) {
              if (depth === funnel.length || next.timestamp.getTime() > start.timestamp.getTime() + withinMs) break;
              if (hits(next, funnel[depth])) depth++;
            }
            deepest = Math.max(deepest, depth);
          });
          for (let k = 0; k < deepest; k++) reached[k]++;
        }
        return reached;
      };
      // A small deterministic generator (mulberry32), so a failure can be replayed.
      let seed = 42;
      const random = (n: number) => {
        seed = (seed + 0x6d2b79f5) | 0;
        let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
        return ((x ^ (x >>> 14)) >>> 0) % n;
      };
      const names = ['a', 'b', 'c', '/p', '/q'];
      const shapes = new Set<string>();
      for (let round = 0; round < 500; round++) {
        const funnel = Array.from({ length: 2 + random(3) }, () => names[random(names.length)]);
        shapes.add(funnel.join(','));
        const events: StepEvent[] = [];
        for (let u = 0; u < 1 + random(5); u++) {
          let minute = 0;
          for (let i = 0; i < random(14); i++) {
            minute += random(4); // often 0: events at the same time
            // Page steps come as page views with a URL, as tracking stores them.
            const name = names[random(names.length)];
            events.push(
              name.startsWith('/')
                ? { userId: `u${u}`, activityType: 'page_view', pageUrl: name, timestamp: at(minute) }
                : event(`u${u}`, name, minute),
            );
          }
        }
        const withinMs = random(10) * 60_000;
        expect(funnelCounts(events, funnel, withinMs)).toEqual(reference(events, funnel, withinMs));
      }
      // The generator really varies the funnels (a broken one once produced five shapes).
      expect(shapes.size).toBeGreaterThan(100);
    });
  });
});
