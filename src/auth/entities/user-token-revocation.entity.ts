import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's tokens issued before `revoked_at` are refused (POST /api/auth/user-token/revoke, or erasure). */
@Entity('user_token_revocations')
export class UserTokenRevocation {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'revoked_at', type: Date })
  revokedAt: Date;
}
