'use client';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { EngageNotification, InboxCounts } from '../sdk/types';
import type { BellClassNames, BellLabels } from './notification-bell';
import type { InboxClient } from './inbox-client';
import { relativeTime } from './relative-time';
import { type InboxFilter, type InboxSubscribe, useInbox } from './use-inbox';

export interface NotificationPopoverProps {
  client: InboxClient;
  subscribe: InboxSubscribe;
  id: string;
  labels: BellLabels;
  classNames: BellClassNames;
  locale?: string;
  renderItem?: (notification: EngageNotification) => ReactNode;
  onNavigate?: (url: string) => void;
  /** The counts after each change, for the bell's badge. */
  onCounts: (counts: InboxCounts) => void;
  /** Escape: close and give focus back to the bell. */
  onClose: () => void;
}

const SNOOZE_MS = 3600_000;

/**
 * The bell's popover, loaded when it first opens (so a closed bell costs little): a labelled
 * non-modal dialog with tabs (all, unread, archived), the list, mark read by opening an item, mark
 * all read, archive, snooze and action buttons. It takes focus when it opens and marks all seen.
 */
export default function NotificationPopover(props: NotificationPopoverProps) {
  const { client, labels, classNames, locale, renderItem, onNavigate } = props;
  const [filter, setFilter] = useState<InboxFilter>('all');
  const inbox = useInbox(client, filter, props.subscribe);
  const popoverRef = useRef<HTMLDivElement>(null);
  const unread = inbox.counts?.unread ?? 0;

  useEffect(() => {
    popoverRef.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
  }, []);

  useEffect(() => {
    if (!inbox.counts) return;
    props.onCounts(inbox.counts);
    if (inbox.counts.unseen > 0) void inbox.markAllSeen();
    // Counts only: the callbacks are the bell's, stable enough, and seen-all once per change.
  }, [inbox.counts]);

  const now = Date.now();
  return (
    <div
      ref={popoverRef}
      id={props.id}
      role="dialog"
      aria-label={labels.title}
      className={classNames.popover ?? 'engage-bell__popover'}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose();
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
  );
}
