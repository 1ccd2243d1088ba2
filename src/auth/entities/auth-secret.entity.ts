import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Secrets Engage generates for itself when none is configured (e.g. the user-token signing key). */
@Entity('auth_secrets')
export class AuthSecret {
  @PrimaryColumn({ type: 'varchar', length: 50 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  value: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;
}
