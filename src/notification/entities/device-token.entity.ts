import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';

export const DEVICE_PLATFORMS = ['ios', 'android', 'web'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

/** A push address of one of a user's devices; for web it is the JSON push subscription. */
@Entity('device_tokens')
@Index('idx_device_tokens_user', ['userId'])
@Index('uq_device_tokens_token', ['token'], { unique: true })
export class DeviceToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ type: 'varchar', length: 4096 })
  token: string;

  @Column({ type: 'varchar', length: 10 })
  platform: DevicePlatform;

  @Column({ name: 'device_info', type: 'json', nullable: true })
  deviceInfo: JsonColumn | null;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'last_used', type: Date })
  lastUsed: Date;

  @Column({ name: 'is_active', type: 'boolean' })
  isActive: boolean;
}
