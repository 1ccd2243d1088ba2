import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import type { Db, Tx } from '../../database/engine/tx';
import { insertIfAbsent } from '../../database/engine/upsert';
import { TopicSubscription } from '../entities/topic-subscription.entity';

@Injectable()
export class TopicSubscriptionRepository {
  private readonly table: EntityTable<TopicSubscription>;

  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) dataSource: DataSource) {
    this.table = new EntityTable(dataSource, TopicSubscription);
  }

  /** Subscribes the users not yet subscribed (one prepared statement each); returns how many were added. */
  async add(tx: Tx, topicKey: string, userIds: string[], at: Date): Promise<number> {
    const createdAt = String(this.table.value('createdAt', at));
    let added = 0;
    for (const userId of userIds) {
      if (await insertIfAbsent(tx, 'topic_subscriptions', { topic_key: topicKey, user_id: userId, created_at: createdAt })) added += 1;
    }
    return added;
  }

  async remove(tx: Tx, topicKey: string, userIds: string[]): Promise<number> {
    let removed = 0;
    for (let i = 0; i < userIds.length; i += 500) {
      removed += (await tx.delete(TopicSubscription, { topicKey, userId: In(userIds.slice(i, i + 500)) })).affected ?? 0;
    }
    return removed;
  }

  async deleteTopic(tx: Tx, topicKey: string): Promise<number> {
    return (await tx.delete(TopicSubscription, { topicKey })).affected ?? 0;
  }

  /** A page of a topic's subscribers in user id order, after `afterUserId`: the primary key's order, so pages cost the same however large the topic. */
  page(db: Db, topicKey: string, afterUserId: string | undefined, limit: number): Promise<TopicSubscription[]> {
    const query = db.createQueryBuilder(TopicSubscription, 's').where('s.topic_key = :topicKey', { topicKey });
    if (afterUserId !== undefined) query.andWhere('s.user_id > :afterUserId', { afterUserId });
    return query.orderBy('s.user_id', 'ASC').limit(limit).getMany();
  }

  count(db: Db, topicKey: string): Promise<number> {
    return db.countBy(TopicSubscription, { topicKey });
  }

  forUser(db: Db, userId: string): Promise<TopicSubscription[]> {
    return db.find(TopicSubscription, { where: { userId }, order: { topicKey: 'ASC' } });
  }

  async eraseUser(tx: Tx, userId: string): Promise<void> {
    await tx.delete(TopicSubscription, { userId });
  }
}
