import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import { AuthFailureLimiter } from '../../auth/auth-failure-limiter.service';
import type { RequestWithPrincipal } from '../../auth/auth.decorators';
import { AuthGuard } from '../../auth/auth.guard';
import { StreamTicketService } from './stream-ticket.service';

/**
 * The stream's guard, in AuthGuard's place: a request with `?ticket=` is the ticket's user
 * (the ticket is used up, right or wrong, and a bad one counts as a failed authentication);
 * any other request is AuthGuard's to judge, with everything it checks.
 */
@Injectable()
export class StreamAuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthGuard,
    private readonly tickets: StreamTicketService,
    private readonly failures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const ticket: unknown = request.query?.ticket;
    if (ticket === undefined) return this.auth.canActivate(context);
    const response = context.switchToHttp().getResponse<Response>();
    const ip = request.ip ?? 'unknown';
    this.failures.assertNotBlocked(ip, response);
    const redeemed = typeof ticket === 'string' ? await this.tickets.redeem(ticket) : null;
    if (redeemed === null) {
      await this.failures.recordFailure(ip, response);
      throw new UnauthorizedException({ code: 'unauthorized', message: 'The stream ticket is unknown, used or expired' });
    }
    request.principal = { kind: 'user', userId: redeemed.userId, ...(redeemed.token && { token: redeemed.token }) };
    return true;
  }
}
