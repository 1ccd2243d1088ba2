import { EngageController } from '../auth/engage-controller.decorator';
import { Get, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { ACTIVITY_DATA_SOURCE, AUTH_DATA_SOURCE, NOTIFICATION_DATA_SOURCE } from '../database/data-source-names';
import { StorageHealthIndicator } from './storage-health.indicator';

const PING_TIMEOUT_MS = 1000;

/** Terminus's result: one entry per check, each with a status and what the check found. */
const CHECKS_SCHEMA = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'degraded', 'down'] } },
    additionalProperties: true,
  },
};

@ApiTags('health')
@EngageController('api/health')
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
  // Terminus would document its own 503 body; Engage answers a 503 in its one error shape.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({
    description: 'Every database answers and stores data; "degraded" while free space is below STORAGE_MIN_FREE_MB',
    schema: {
      type: 'object',
      required: ['status', 'details'],
      properties: {
        status: { type: 'string', enum: ['ok', 'degraded'], example: 'ok' },
        info: { ...CHECKS_SCHEMA, nullable: true },
        error: { ...CHECKS_SCHEMA, nullable: true },
        details: { ...CHECKS_SCHEMA, example: { activity_db: { status: 'up' }, storage: { status: 'up' } } },
      },
    },
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'A database does not answer or cannot store data (code unhealthy); details holds each check',
  })
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('activity_db', { connection: this.activityDb }).withTimeout(PING_TIMEOUT_MS),
        () => this.db.pingCheck('notification_db', { connection: this.notificationDb }).withTimeout(PING_TIMEOUT_MS),
        () => this.db.pingCheck('auth_db', { connection: this.authDb }).withTimeout(PING_TIMEOUT_MS),
        () => this.storage.writes('storage'),
        () => this.storage.locks('locks'),
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
