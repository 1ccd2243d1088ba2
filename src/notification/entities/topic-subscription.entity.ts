import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user subscribed to a topic: a send to the topic reaches them (under their own preferences). */
@Entity('topic_subscriptions')
// (user_id): a user's subscriptions, for export and erasure.
@Index('idx_topic_subscriptions_user', ['userId'])
export class TopicSubscription {
  @PrimaryColumn({ name: 'topic_key', type: 'varchar', length: 100 })
  topicKey: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;
}
