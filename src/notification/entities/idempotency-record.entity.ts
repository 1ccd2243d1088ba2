import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';

/** The first answer to a send made with an Idempotency-Key, replayed for 24 hours. */
@Entity('idempotency_keys')
@Index('idx_idempotency_keys_created', ['createdAt'])
// (user_id): erasure drops a user's records with the rest of their data.
@Index('idx_idempotency_keys_user', ['userId'])
export class IdempotencyRecord {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  /** SHA-256 of the request body: the same key with another body is a client mistake. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash: string;

  @Column({ name: 'status_code', type: 'integer' })
  statusCode: number;

  @Column({ name: 'response_body', type: 'json' })
  responseBody: JsonColumn;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  /** Whose send it was: erasure drops the record, so a replay cannot answer with a deleted notification. */
  @Column({ name: 'user_id', type: 'varchar', length: 255, nullable: true })
  userId: string | null;
}
