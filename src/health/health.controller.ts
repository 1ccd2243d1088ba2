import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { ACTIVITY_DATA_SOURCE, AUTH_DATA_SOURCE, NOTIFICATION_DATA_SOURCE } from '../database/data-source-names';
import { StorageHealthIndicator } from './storage-health.indicator';

const PING_TIMEOUT_MS = 1000;

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    @InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly activityDb: DataSource,
    @InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly notificationDb: DataSource,
    @InjectDataSource(AUTH_DATA_SOURCE) private readonly authDb: DataSource,
    private readonly storage: StorageHealthIndicator,
  ) {}

  /**
   * 200 when the databases answer and can store data ("degraded" when free space runs low), 503
   * naming the database that does not answer or whose writes fail, and why.
   */
  @Get()
  @Public()
  // No credential: an empty security list overrides the document-wide requirement.
  @ApiOperation({ summary: 'Health of the databases', security: [] })
  @HealthCheck()
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('activity_db', { connection: this.activityDb }).withTimeout(PING_TIMEOUT_MS),
        () => this.db.pingCheck('notification_db', { connection: this.notificationDb }).withTimeout(PING_TIMEOUT_MS),
        () => this.db.pingCheck('auth_db', { connection: this.authDb }).withTimeout(PING_TIMEOUT_MS),
        () => this.storage.writes('storage'),
        () => this.storage.freeSpace('disk'),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      throw new ServiceUnavailableException({
        code: 'unhealthy',
        message: `Not healthy: ${Object.entries(result.error ?? {})
          .map(([key, value]) => `${key}: ${typeof value?.message === 'string' ? value.message : 'not answering'}`)
          .join('; ')}`,
        details: result.details,
      });
    }
  }
}
