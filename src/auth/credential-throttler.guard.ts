import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { RequestWithPrincipal } from './auth.decorators';

/**
 * Rate limits per credential rather than per route: one bucket per admin key, per publishable
 * key and IP (a browser key is shared by every visitor of a site), per user, or per IP for
 * public routes. Runs after AuthGuard, which has set the principal.
 */
@Injectable()
export class CredentialThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as RequestWithPrincipal;
    const principal = request.principal;
    if (principal?.kind === 'user') return `user:${principal.userId}`;
    if (principal?.kind === 'api_key') {
      return principal.scope === 'track' ? `key:${principal.keyId}:${request.ip}` : `key:${principal.keyId}`;
    }
    return `ip:${request.ip}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
