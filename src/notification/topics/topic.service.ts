import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { TopicSubscriptionRepository } from '../repositories/topic-subscription.repository';

export const DEFAULT_SUBSCRIBERS_PAGE = 100;

/** Topics: named groups of users a send can go to at once. A topic exists while it has subscribers. */
@Injectable()
export class TopicService {
  constructor(
    private readonly subscriptions: TopicSubscriptionRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Subscribes users (those already subscribed stay as they were); returns how many were added and the count after. */
  subscribe(key: string, userIds: string[]): Promise<{ changed: number; subscribers: number }> {
    return this.transactions.run(async (tx) => {
      const changed = await this.subscriptions.add(tx, key, userIds, this.clock.now());
      return { changed, subscribers: await this.subscriptions.count(tx, key) };
    }, userIds.length);
  }

  unsubscribe(key: string, userIds: string[]): Promise<{ changed: number; subscribers: number }> {
    return this.transactions.run(async (tx) => {
      const changed = await this.subscriptions.remove(tx, key, userIds);
      return { changed, subscribers: await this.subscriptions.count(tx, key) };
    }, userIds.length);
  }

  /** Unsubscribes everyone: the topic is gone. */
  delete(key: string): Promise<{ changed: number; subscribers: number }> {
    return this.transactions.run(async (tx) => ({ changed: await this.subscriptions.deleteTopic(tx, key), subscribers: 0 }));
  }

  /** A page of subscribers in user id order; the cursor is the last user id of the page. */
  async subscribers(
    key: string,
    cursor: string | undefined,
    limit = DEFAULT_SUBSCRIBERS_PAGE,
  ): Promise<{ userIds: string[]; nextCursor: string | null }> {
    const rows = await this.subscriptions.page(this.transactions.reads, key, cursor, limit + 1);
    const userIds = rows.slice(0, limit).map((row) => row.userId);
    return { userIds, nextCursor: rows.length > limit ? userIds[userIds.length - 1] : null };
  }
}
