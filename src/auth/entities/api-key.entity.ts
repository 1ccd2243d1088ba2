import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const API_KEY_SCOPES = ['admin', 'track'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A secret API key; only its SHA-256 hash is stored, so a database leak does not leak keys. */
@Entity('api_keys')
@Index('uq_api_keys_hash', ['keyHash'], { unique: true })
export class ApiKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 10 })
  scope: ApiKeyScope;

  /** Hex SHA-256 of the whole key. */
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  /** The first characters of the key, to tell keys apart in listings. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: Date, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt: Date | null;
}
