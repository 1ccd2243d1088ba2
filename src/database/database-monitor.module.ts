import { Module } from '@nestjs/common';
import { DatabaseMonitor } from './database-monitor';

/**
 * The one DatabaseMonitor of an app: every module that imports this one shares it (a static
 * module is instantiated once), so the runners report where health and metrics read.
 */
@Module({ providers: [DatabaseMonitor], exports: [DatabaseMonitor] })
export class DatabaseMonitorModule {}
