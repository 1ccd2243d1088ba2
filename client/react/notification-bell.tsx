'use client';
import { lazy, type ReactNode, Suspense, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { EngageNotification, InboxCounts } from '../sdk/types';
import { type ClientProps, clientFor } from './inbox-client';
import type { InboxFilter } from './use-inbox';

/** The popover is its own chunk, loaded on the first opening: the closed bell stays small. */
const NotificationPopover = lazy(() => import('./notification-popover'));

/** The words the bell says; replace any for another language. */
export interface BellLabels {
  bell: (unread: number) => string;
  title: string;
  tabs: Record<InboxFilter, string>;
  markAllRead: string;
  archive: string;
  unarchive: string;
  snooze: string;
  loading: string;
  empty: Record<InboxFilter, string>;
  error: string;
  retry: string;
  offline: string;
  newItem: (title: string) => string;
}

export const DEFAULT_BELL_LABELS: BellLabels = {
  bell: (unread) => (unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'),
  title: 'Notifications',
  tabs: { all: 'All', unread: 'Unread', archived: 'Archived' },
  markAllRead: 'Mark all as read',
  archive: 'Archive',
  unarchive: 'Unarchive',
  snooze: 'Snooze 1 hour',
  loading: 'Loading…',
  empty: { all: 'No notifications yet', unread: 'You are all caught up', archived: 'Nothing archived' },
  error: 'Notifications could not be loaded',
  retry: 'Try again',
  offline: 'You are offline: notifications will update when you are back',
  newItem: (title) => `New notification: ${title}`,
};

/** Class names of each part, to style the bell with a host's own CSS (the defaults are `engage-bell…`). */
export interface BellClassNames {
  root?: string;
  button?: string;
  badge?: string;
  popover?: string;
  item?: string;
}

export interface NotificationBellProps extends ClientProps {
  /** For relative times (Intl), e.g. `pt-BR`; default the browser's. */
  locale?: string;
  labels?: Partial<BellLabels>;
  classNames?: BellClassNames;
  /** Renders one notification's content in place of the default title, message and time. */
  renderItem?: (notification: EngageNotification) => ReactNode;
  /** Where an action's link opens (default: the same tab). */
  onNavigate?: (url: string) => void;
}

/**
 * A bell with the user's unread count, opening their inbox in a popover, kept live by the stream.
 * Accessible: a real button whose name carries the count (the badge is hidden from screen
 * readers), a dialog that takes focus when opened and gives it back when closed (Escape, the
 * bell again), and new notifications announced in a polite live region.
 */
export function NotificationBell(props: NotificationBellProps) {
  const labels = { ...DEFAULT_BELL_LABELS, ...props.labels };
  const classNames = props.classNames ?? {};
  const client = useMemo(() => clientFor(props), [props.client, props.userId, props.token, props.getToken, props.baseUrl]);
  // One stream for the bell and its popover.
  const stream = useMemo(() => client.stream(), [client]);
  const subscribe = useMemo(() => stream.on.bind(stream), [stream]);
  const [open, setOpen] = useState(false);
  const [counts, setCounts] = useState<InboxCounts | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const popoverId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const unread = counts?.unread ?? 0;

  useEffect(() => {
    let current = true;
    client.counts().then(
      (loaded) => current && setCounts((known) => known ?? loaded),
      () => undefined,
    );
    const off = stream.on((event) => {
      setCounts(event.counts);
      if (event.type === 'notification.created' && !event.notification.silent) setAnnouncement(event.notification.title);
    });
    stream.start();
    return () => {
      current = false;
      off();
      stream.stop();
    };
  }, [client, stream]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  return (
    <div ref={rootRef} className={classNames.root ?? 'engage-bell'}>
      <button
        ref={buttonRef}
        type="button"
        className={classNames.button ?? 'engage-bell__button'}
        aria-label={labels.bell(unread)}
        aria-expanded={open}
        aria-controls={popoverId}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">
          <path
            fill="currentColor"
            d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2Zm6-6V11a6 6 0 0 0-5-5.9V4a1 1 0 0 0-2 0v1.1A6 6 0 0 0 6 11v5l-2 2v1h16v-1Z"
          />
        </svg>
        {unread > 0 && (
          <span className={classNames.badge ?? 'engage-bell__badge'} aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <div className="engage-bell__live" aria-live="polite" role="status" style={VISUALLY_HIDDEN}>
        {announcement ? labels.newItem(announcement) : ''}
      </div>
      {open && (
        <Suspense fallback={<p className="engage-bell__state">{labels.loading}</p>}>
          <NotificationPopover
            client={client}
            subscribe={subscribe}
            id={popoverId}
            labels={labels}
            classNames={classNames}
            locale={props.locale}
            renderItem={props.renderItem}
            onNavigate={props.onNavigate}
            onCounts={setCounts}
            onClose={close}
          />
        </Suspense>
      )}
    </div>
  );
}

const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

export default NotificationBell;
