import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseMonitorModule } from '../database/database-monitor.module';
import { HealthController } from './health.controller';
import { StorageHealthIndicator } from './storage-health.indicator';

/** GET /api/health: the databases answer and can store data. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), DatabaseMonitorModule],
  controllers: [HealthController],
  providers: [StorageHealthIndicator],
})
export class HealthModule {}
