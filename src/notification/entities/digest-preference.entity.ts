import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DigestFrequency } from '../digest/digest-frequency';

/** A user's choice of how often a type (or `*`, every type) reaches them off the in-app channel. */
@Entity('digest_preferences')
export class DigestPreference {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @PrimaryColumn({ name: 'notification_type', type: 'varchar', length: 100 })
  notificationType: string;

  @Column({ type: 'varchar', length: 10 })
  frequency: DigestFrequency;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
