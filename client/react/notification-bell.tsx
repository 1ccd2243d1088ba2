'use client';
import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { EngageNotification } from '../sdk/types';
import { type ClientProps, clientFor } from './inbox-client';
import { relativeTime } from './relative-time';
import { type InboxFilter, useInbox } from './use-inbox';

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
  empty: { all: 'No notifications yet', unread: 'All caught up', archived: 'Nothing archived' },
  error: 'Could not load notifications',
  retry: 'Try again',
  offline: 'Offline: updates resume when you are back',
  newItem: (title) => `New: ${title}`,
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

const SNOOZE_MS = 3600_000;

/**
 * A bell with the user's unread count, opening their inbox in a popover: tabs (all, unread,
 * archived), mark read by opening an item, mark all read, archive, snooze and action buttons,
 * kept live by the stream. Accessible: a real button whose name carries the count, a labelled
 * non-modal dialog that takes focus when opened and gives it back when closed (Escape, or the
 * bell again), and new items announced politely.
 */
export function NotificationBell(props: NotificationBellProps) {
  const { locale, classNames = {}, renderItem, onNavigate } = props;
  const labels = { ...DEFAULT_BELL_LABELS, ...props.labels };
  const client = useMemo(() => clientFor(props), [props.client, props.userId, props.token, props.getToken, props.baseUrl]);
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState<InboxFilter>('all');
  const inbox = useInbox(client, filter);
  const popoverId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const unread = inbox.counts?.unread ?? 0;

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    popoverRef.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
    if ((inbox.counts?.unseen ?? 0) > 0) void inbox.markAllSeen();
    const outside = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!popoverRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
    // Only on opening: seen once per opening.
  }, [open]);

  const now = Date.now();
  return (
    <div className={classNames.root ?? 'engage-bell'}>
      <button
        ref={buttonRef}
        type="button"
        className={classNames.button ?? 'engage-bell__button'}
        aria-label={labels.bell(unread)}
        aria-expanded={open}
        aria-controls={popoverId}
        onClick={() => (open ? close(true) : setOpen(true))}
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
        {inbox.announcement ? labels.newItem(inbox.announcement) : ''}
      </div>
      {open && (
        <div
          ref={popoverRef}
          id={popoverId}
          role="dialog"
          aria-label={labels.title}
          className={classNames.popover ?? 'engage-bell__popover'}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              close(true);
            }
          }}
        >
          <div className="engage-bell__header">
            <div role="tablist" aria-label={labels.title}>
              {(['all', 'unread', 'archived'] as const).map((tab) => (
                <button
                  key={tab}
                  type="button"
                  role="tab"
                  aria-selected={filter === tab}
                  tabIndex={filter === tab ? 0 : -1}
                  onClick={() => setFilter(tab)}
                >
                  {labels.tabs[tab]}
                </button>
              ))}
            </div>
            {filter !== 'archived' && unread > 0 && (
              <button type="button" className="engage-bell__mark-all" onClick={() => void inbox.markAllRead()}>
                {labels.markAllRead}
              </button>
            )}
          </div>
          {!inbox.online && <p className="engage-bell__offline">{labels.offline}</p>}
          {inbox.error && inbox.status !== 'error' && (
            <p role="alert" className="engage-bell__error">
              {inbox.error}
            </p>
          )}
          {inbox.status === 'loading' && <p className="engage-bell__state">{labels.loading}</p>}
          {inbox.status === 'error' && (
            <p role="alert" className="engage-bell__state">
              {labels.error}{' '}
              <button type="button" onClick={() => void inbox.reload()}>
                {labels.retry}
              </button>
            </p>
          )}
          {inbox.status === 'ready' && inbox.items.length === 0 && <p className="engage-bell__state">{labels.empty[filter]}</p>}
          {inbox.items.length > 0 && (
            <ul className="engage-bell__list">
              {inbox.items.map((item) => (
                <li key={item.id} className={classNames.item ?? `engage-bell__item${item.read_at ? '' : ' engage-bell__item--unread'}`}>
                  <button type="button" className="engage-bell__open" onClick={() => item.read_at === null && void inbox.markRead(item.id)}>
                    {renderItem ? (
                      renderItem(item)
                    ) : (
                      <>
                        <strong>{item.title}</strong>
                        <span className="engage-bell__message">{item.message}</span>
                        <time dateTime={item.created_at}>{relativeTime(item.created_at, now, locale)}</time>
                      </>
                    )}
                  </button>
                  <div className="engage-bell__actions">
                    {item.actions.map((action) => (
                      <button
                        key={action.action_id}
                        type="button"
                        disabled={item.action_taken !== null}
                        aria-pressed={item.action_taken?.action_id === action.action_id}
                        onClick={() => {
                          void inbox.takeAction(item.id, action.action_id);
                          if (action.url) (onNavigate ?? ((url: string) => window.location.assign(url)))(action.url);
                        }}
                      >
                        {action.label}
                      </button>
                    ))}
                    {item.archived_at === null ? (
                      <>
                        <button type="button" onClick={() => void inbox.snooze(item.id, new Date(Date.now() + SNOOZE_MS))}>
                          {labels.snooze}
                        </button>
                        <button type="button" onClick={() => void inbox.archive(item.id)}>
                          {labels.archive}
                        </button>
                      </>
                    ) : (
                      <button type="button" onClick={() => void inbox.unarchive(item.id)}>
                        {labels.unarchive}
                      </button>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
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
} as const;

export default NotificationBell;
