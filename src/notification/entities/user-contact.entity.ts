import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a user can be reached outside the app. */
@Entity('user_contacts')
export class UserContact {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  @Column({ name: 'slack_webhook_url', type: 'varchar', length: 2048, nullable: true })
  slackWebhookUrl: string | null;

  @Column({ name: 'webhook_url', type: 'varchar', length: 2048, nullable: true })
  webhookUrl: string | null;

  @Column({ type: 'varchar', length: 35, nullable: true })
  locale: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
