import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import { sql } from '../../database/engine/sql';
import type { Tx } from '../../database/engine/tx';
import { StreamTicket } from './entities/stream-ticket.entity';

@Injectable()
export class StreamTicketRepository {
  private readonly table: EntityTable<StreamTicket>;

  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) dataSource: DataSource) {
    this.table = new EntityTable(dataSource, StreamTicket);
  }

  async insert(tx: Tx, ticket: StreamTicket): Promise<void> {
    await this.table.insert(tx, ticket);
  }

  /**
   * Takes the ticket out, whatever its expiry: the user it opens a stream for, or null when it is
   * unknown or already taken. Atomic in `tx` (a read then a delete under the write lock, the
   * delete's count deciding), so of two requests with one ticket only one gets it.
   */
  async take(tx: Tx, ticketHash: string): Promise<StreamTicket | null> {
    const ticket = await this.table.findOne(tx, 'ticket_hash = ?', [ticketHash]);
    if (!ticket) return null;
    const deleted = await sql.run(tx, 'DELETE FROM "stream_tickets" WHERE "ticket_hash" = ?', [ticketHash]);
    return deleted === 1 ? ticket : null;
  }

  /** Erases a user's unused tickets (a small table: tickets live 30 s). */
  async eraseUser(tx: Tx, userId: string): Promise<void> {
    await sql.run(tx, 'DELETE FROM "stream_tickets" WHERE "user_id" = ?', [userId]);
  }

  /** Deletes tickets that expired before `cutoff`, through idx_stream_tickets_expires. */
  deleteExpired(tx: Tx, cutoff: Date): Promise<number> {
    return sql.run(tx, 'DELETE FROM "stream_tickets" WHERE "expires_at" < ?', [this.table.value('expiresAt', cutoff)]);
  }
}
