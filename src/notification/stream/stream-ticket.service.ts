import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { StreamTicket } from './entities/stream-ticket.entity';
import { StreamTicketRepository } from './stream-ticket.repository';
import type { UserTokenBounds } from '../../auth/principal';

/** How long a ticket may wait for its stream: long enough to open it, short enough to be worthless once logged. */
export const STREAM_TICKET_TTL_MS = 30_000;

/** What a ticket looks like: a prefix, then 256 random bits (base64url). */
const TICKET_PATTERN = /^est_[A-Za-z0-9_-]{43}$/;

export interface IssuedStreamTicket {
  ticket: string;
  userId: string;
  expiresAt: Date;
}

/**
 * Stream tickets: a browser's EventSource cannot send an Authorization header, and a long-lived
 * token in a URL ends up in logs and history. A ticket is worth one stream, for 30 seconds.
 */
@Injectable()
export class StreamTicketService {
  constructor(
    private readonly tickets: StreamTicketRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** A ticket for the user's stream; `token`: the user token asking for it, whose end and revocation its stream keeps. */
  async issue(userId: string, token?: UserTokenBounds): Promise<IssuedStreamTicket> {
    const ticket = `est_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(this.clock.now().getTime() + STREAM_TICKET_TTL_MS);
    const row = Object.assign(new StreamTicket(), {
      ticketHash: hashOf(ticket),
      userId,
      expiresAt,
      tokenIssuedAt: token?.issuedAt ?? null,
      tokenExpiresAt: token?.expiresAt ?? null,
    });
    await this.transactions.run((tx) => this.tickets.insert(tx, row));
    return { ticket, userId, expiresAt };
  }

  /**
   * The user whose stream the ticket opens, with the bounds of the user token that asked for it;
   * uses the ticket up. Null when it is unknown, used or expired.
   */
  async redeem(ticket: string): Promise<{ userId: string; token?: UserTokenBounds } | null> {
    if (!TICKET_PATTERN.test(ticket)) return null;
    const taken = await this.transactions.run((tx) => this.tickets.take(tx, hashOf(ticket)));
    if (taken === null || taken.expiresAt <= this.clock.now()) return null;
    if (taken.tokenExpiresAt === null) return { userId: taken.userId };
    return { userId: taken.userId, token: { issuedAt: taken.tokenIssuedAt, expiresAt: taken.tokenExpiresAt } };
  }

  /** Deletes the tickets that expired unused. */
  purgeExpired(): Promise<number> {
    const now = this.clock.now();
    return this.transactions.run((tx) => this.tickets.deleteExpired(tx, now));
  }
}

/** Only a ticket's hash is stored: a copy of the database opens no stream. */
function hashOf(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex');
}
