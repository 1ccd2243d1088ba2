import { ForbiddenException, HttpCode, HttpStatus, Inject, NotFoundException, Post, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators';
import { EngageController } from '../auth/engage-controller.decorator';
import { appConfig } from '../config/app.config';
import { isDirectLocal } from './demo-access';
import { DemoService, type DemoSession } from './demo.service';

/**
 * The demo page's two calls (the page itself is a static asset at `/`). Not part of the API, so
 * not in its document; open only as DEMO_PAGE says.
 */
@ApiExcludeController()
@EngageController('demo')
export class DemoController {
  constructor(
    private readonly demo: DemoService,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
  ) {}

  /** A session for the demo user: a user token and a publishable key. */
  @Post('session')
  @Public()
  @HttpCode(HttpStatus.OK)
  session(@Req() request: Request): Promise<DemoSession> {
    this.assertOpen(request);
    return this.demo.session();
  }

  /** Sends the demo user a test notification. */
  @Post('notify')
  @Public()
  @HttpCode(HttpStatus.CREATED)
  notify(@Req() request: Request): Promise<{ notification_id: string | null }> {
    this.assertOpen(request);
    return this.demo.notify();
  }

  private assertOpen(request: Request): void {
    if (this.config.demoPage === 'off') throw new NotFoundException({ code: 'not_found', message: 'The demo is off (DEMO_PAGE=off)' });
    if (this.config.demoPage === 'local' && !isDirectLocal(request)) {
      throw new ForbiddenException({
        code: 'demo_local_only',
        message: 'The demo answers only a browser on the machine Engage runs on (DEMO_PAGE=local; DEMO_PAGE=on opens it to all)',
      });
    }
  }
}
