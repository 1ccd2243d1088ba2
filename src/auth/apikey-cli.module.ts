import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../config/auth.config';
import { databaseConfig } from '../config/database.config';
import { AuthModule } from './auth.module';

/** Just enough of Engage to manage API keys from the command line. */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, load: [authConfig, databaseConfig] }), AuthModule.forRoot({ guard: false })],
})
export class ApiKeyCliModule {}
