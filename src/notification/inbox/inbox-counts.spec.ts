import { type CountedState, countsChange, countsOf } from './inbox-counts';

const at = new Date('2026-11-26T09:00:00Z');
const state = (overrides: Partial<CountedState> = {}): CountedState => ({
  relistAt: null,
  archivedAt: null,
  readAt: null,
  seenAt: null,
  ...overrides,
});

describe('inbox counts', () => {
  it.each<[string, CountedState | null, { total: number; unread: number; unseen: number }]>([
    ['a new notification', state(), { total: 1, unread: 1, unseen: 1 }],
    ['a seen one', state({ seenAt: at }), { total: 1, unread: 1, unseen: 0 }],
    ['a read one', state({ readAt: at, seenAt: at }), { total: 1, unread: 0, unseen: 0 }],
    ['an archived one', state({ archivedAt: at }), { total: 0, unread: 0, unseen: 0 }],
    ['one scheduled or snoozed', state({ relistAt: at }), { total: 0, unread: 0, unseen: 0 }],
    ['none', null, { total: 0, unread: 0, unseen: 0 }],
  ])('%s counts as it should', (_name, subject, expected) => {
    expect(countsOf(subject)).toEqual(expected);
  });

  it('changes by the difference of the two states, whatever they are', () => {
    expect(countsChange(state(), state({ readAt: at, seenAt: at }))).toEqual({ total: 0, unread: -1, unseen: -1 });
    expect(countsChange(state({ readAt: at, seenAt: at }), state({ archivedAt: at }))).toEqual({ total: -1, unread: 0, unseen: 0 });
    expect(countsChange(state({ relistAt: at }), state())).toEqual({ total: 1, unread: 1, unseen: 1 });
    expect(countsChange(state({ seenAt: at }), null)).toEqual({ total: -1, unread: -1, unseen: 0 });
    expect(countsChange(state({ archivedAt: at }), state({ archivedAt: at, readAt: at }))).toEqual({ total: 0, unread: 0, unseen: 0 });
  });
});
