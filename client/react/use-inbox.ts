'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngageNotification, InboxCounts, InboxEvent } from '../sdk/types';

/** Where a component hears the inbox's events: an InboxStream's `on`, shared by the bell and its popover. */
export type InboxSubscribe = (listener: (event: InboxEvent) => void) => () => void;
import type { InboxClient } from './inbox-client';

export type InboxFilter = 'all' | 'unread' | 'archived';

export interface InboxState {
  items: EngageNotification[];
  counts: InboxCounts | null;
  status: 'loading' | 'ready' | 'error';
  /** The last failure to show (a load, or an action that was rolled back). */
  error: string | null;
  online: boolean;
}

const PAGE = 20;

function matches(filter: InboxFilter, item: EngageNotification): boolean {
  if (filter === 'archived') return item.archived_at !== null;
  if (item.archived_at !== null || item.snoozed_until !== null) return false;
  return filter === 'all' || item.read_at === null;
}

/**
 * One user's inbox for a component: a page of the filter's items and the counts, kept live by
 * the stream, with actions applied at once and rolled back (with a message) if the API refuses.
 */
export function useInbox(client: InboxClient, filter: InboxFilter, subscribe: InboxSubscribe) {
  const [state, setState] = useState<InboxState>({
    items: [],
    counts: null,
    status: 'loading',
    error: null,
    online: true,
  });
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const stateRef = useRef(state);
  stateRef.current = state;

  const load = useCallback(async () => {
    setState((s) => ({ ...s, status: s.items.length ? s.status : 'loading' }));
    try {
      const query = filter === 'archived' ? { archived: true, limit: PAGE } : { unread_only: filter === 'unread', limit: PAGE };
      const [page, counts] = await Promise.all([client.listInbox(query), client.counts()]);
      setState((s) => ({ ...s, items: page.notifications, counts, status: 'ready', error: null }));
    } catch (error) {
      setState((s) => ({ ...s, status: 'error', error: (error as Error).message }));
    }
  }, [client, filter]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    return subscribe((event: InboxEvent) => {
      if (event.type === 'reset' || (event.type === 'counts' && event.bulk)) void load();
      setState((s) => {
        const next = { ...s, counts: event.counts };
        if (event.type === 'notification.created') {
          const item = event.notification;
          const shown = matches(filterRef.current, item) && !s.items.some((i) => i.id === item.id);
          return { ...next, items: shown ? [item, ...s.items] : s.items };
        }
        if (event.type === 'notification.updated') {
          const item = event.notification;
          const items = s.items.map((i) => (i.id === item.id ? item : i)).filter((i) => matches(filterRef.current, i));
          const back = !s.items.some((i) => i.id === item.id) && matches(filterRef.current, item);
          return { ...next, items: back ? [item, ...items] : items };
        }
        if (event.type === 'notification.deleted') return { ...next, items: s.items.filter((i) => i.id !== event.notification_id) };
        return next;
      });
    });
  }, [subscribe, load]);

  useEffect(() => {
    const update = () => setState((s) => ({ ...s, online: navigator.onLine }));
    update();
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  /** Applies `change` at once; undoes it if `call` fails, else takes the API's answer. */
  const optimistic = useCallback(
    async (change: (s: InboxState) => InboxState, call: () => Promise<{ counts: InboxCounts; notification?: EngageNotification }>) => {
      // The state as it is now, from the last render: an updater runs later, when React renders.
      const before = stateRef.current;
      setState(change);
      try {
        const answer = await call();
        setState((s) => ({
          ...s,
          counts: answer.counts,
          items: answer.notification
            ? s.items.map((i) => (i.id === answer.notification!.id ? answer.notification! : i)).filter((i) => matches(filterRef.current, i))
            : s.items,
          error: null,
        }));
      } catch (error) {
        setState((s) => ({ ...before, online: s.online, error: (error as Error).message }));
      }
    },
    [],
  );

  const now = () => new Date().toISOString();
  const patch = (s: InboxState, id: string, fields: Partial<EngageNotification>, counts?: Partial<InboxCounts>): InboxState => ({
    ...s,
    items: s.items.map((i) => (i.id === id ? { ...i, ...fields } : i)).filter((i) => matches(filter, i)),
    counts: s.counts && counts ? { ...s.counts, ...counts } : s.counts,
  });
  const unreadLess = (s: InboxState, id: string) => {
    const item = s.items.find((i) => i.id === id);
    return s.counts && item && item.read_at === null ? { unread: Math.max(0, s.counts.unread - 1) } : undefined;
  };

  return {
    ...state,
    reload: load,
    markRead: (id: string) =>
      optimistic(
        (s) => patch(s, id, { read_at: now(), status: 'read' }, unreadLess(s, id)),
        () => client.markRead(id),
      ),
    markAllRead: () =>
      optimistic(
        (s) => ({
          ...s,
          items: s.items.map((i) => ({ ...i, read_at: i.read_at ?? now() })).filter((i) => matches(filter, i)),
          counts: s.counts && { ...s.counts, unread: 0 },
        }),
        () => client.markAllRead(),
      ),
    markAllSeen: () =>
      optimistic(
        (s) => ({ ...s, counts: s.counts && { ...s.counts, unseen: 0 } }),
        () => client.markAllSeen(),
      ),
    archive: (id: string) =>
      optimistic(
        (s) => patch(s, id, { archived_at: now() }),
        () => client.archive(id),
      ),
    unarchive: (id: string) =>
      optimistic(
        (s) => patch(s, id, { archived_at: null }),
        () => client.unarchive(id),
      ),
    snooze: (id: string, until: Date) =>
      optimistic(
        (s) => patch(s, id, { snoozed_until: until.toISOString() }),
        () => client.snooze(id, until),
      ),
    takeAction: (id: string, actionId: string) =>
      optimistic(
        (s) => patch(s, id, { action_taken: { action_id: actionId, at: now() } }),
        () => client.takeAction(id, actionId),
      ),
  };
}
