import type { InboxEvent } from './inbox-event';
import type { InboxEventBus, InboxEventListener } from './inbox-event-bus';

/** The bus within one process: listeners by user, called as events are published. */
export class LocalInboxEventBus implements InboxEventBus {
  private readonly listeners = new Map<string, Set<InboxEventListener>>();

  publish(events: InboxEvent[]): void {
    for (const event of events) this.listeners.get(event.userId)?.forEach((listener) => listener.event(event));
  }

  subscribe(userId: string, listener: InboxEventListener): () => void {
    let listeners = this.listeners.get(userId);
    if (!listeners) this.listeners.set(userId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(userId) === listeners) this.listeners.delete(userId);
    };
  }

  /** How many listeners the user has here. */
  listenerCount(userId: string): number {
    return this.listeners.get(userId)?.size ?? 0;
  }

  /** Tells the user's listeners (every user's, without one) to catch up from the log. */
  resync(userId?: string): void {
    const sets = userId === undefined ? [...this.listeners.values()] : [this.listeners.get(userId) ?? new Set<InboxEventListener>()];
    for (const listeners of sets) listeners.forEach((listener) => listener.resync());
  }
}
