import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer, Server } from 'node:http';

/**
 * Express, on an HTTP server that checks its request and header timeouts every second. Node
 * checks them every 30 s by default, so a 30 s request timeout could let a trickled request hold
 * its connection for a minute.
 */
export class EngageExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    super.initHttpServer(options);
    if (options?.httpsOptions || options?.return503OnClosing || options?.forceCloseConnections) return;
    // The server the base class made was never started: closing it stops its 30 s check timer.
    (this.httpServer as Server).close();
    this.httpServer = createServer({ connectionsCheckingInterval: 1000 }, this.getInstance());
  }
}
