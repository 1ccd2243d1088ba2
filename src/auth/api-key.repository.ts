import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../database/data-source-names';
import { ApiKey } from './entities/api-key.entity';

@Injectable()
export class ApiKeyRepository {
  constructor(@InjectDataSource(AUTH_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findByHash(keyHash: string): Promise<ApiKey | null> {
    return this.dataSource.manager.findOneBy(ApiKey, { keyHash });
  }

  async insert(key: ApiKey): Promise<void> {
    await this.dataSource.manager.insert(ApiKey, key);
  }

  listAll(): Promise<ApiKey[]> {
    return this.dataSource.manager.find(ApiKey, { order: { createdAt: 'ASC' } });
  }

  countActive(): Promise<number> {
    return this.dataSource.manager.countBy(ApiKey, { revokedAt: IsNull() });
  }

  findByIdOrName(idOrName: string): Promise<ApiKey[]> {
    return this.dataSource.manager.find(ApiKey, { where: [{ id: idOrName }, { name: idOrName }] });
  }

  async markRevoked(id: string, at: Date): Promise<void> {
    await this.dataSource.manager.update(ApiKey, { id }, { revokedAt: at });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.dataSource.manager.update(ApiKey, { id }, { lastUsedAt: at });
  }
}
