import { Global, Module } from '@nestjs/common';
import { DatabaseMonitorModule } from '../database/database-monitor.module';
import { DatabaseMetricsService } from './database-metrics.service';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** GET /metrics, and the MetricsService the other modules record into (global: optional for them). */
@Global()
@Module({
  imports: [DatabaseMonitorModule],
  controllers: [MetricsController],
  providers: [MetricsService, DatabaseMetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
