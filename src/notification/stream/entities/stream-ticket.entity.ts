import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A single-use ticket that opens one user's notification stream (`?ticket=`), for clients that
 * cannot send an Authorization header (a browser's EventSource). Only its SHA-256 is stored, and
 * it is deleted when used. In the database, not in memory: every instance sharing it honours it.
 */
@Entity('stream_tickets')
// (expires_at): the sweep drops tickets nobody used.
@Index('idx_stream_tickets_expires', ['expiresAt'])
export class StreamTicket {
  @PrimaryColumn({ name: 'ticket_hash', type: 'varchar', length: 64 })
  ticketHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'expires_at', type: Date })
  expiresAt: Date;

  /** When the user token that asked for it was issued (null: an API key, a host's principal, or a token without iat). */
  @Column({ name: 'token_issued_at', type: Date, nullable: true })
  tokenIssuedAt: Date | null;

  /** When the user token that asked for it ends: its stream ends then too (null: not a user token of Engage's). */
  @Column({ name: 'token_expires_at', type: Date, nullable: true })
  tokenExpiresAt: Date | null;
}
