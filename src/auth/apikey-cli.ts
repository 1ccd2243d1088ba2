#!/usr/bin/env node
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { ApiKeyService } from './api-key.service';
import { ApiKeyCliModule } from './apikey-cli.module';
import { API_KEY_SCOPES, ApiKeyScope } from './entities/api-key.entity';

// engage-apikey from a host's node_modules, `npm run apikey -- …` in this repository.
const USAGE = `Usage:
  engage-apikey create --name <name> [--scope admin|track]   prints the new key once
  engage-apikey list
  engage-apikey revoke <id or name>
The database is the service's: AUTH_DB_PATH, from the environment or a .env file in the working directory.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, scope: { type: 'string', default: 'admin' } },
  });
  const [command, target] = positionals;
  if (!['create', 'list', 'revoke'].includes(command ?? '')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(ApiKeyCliModule, { logger: ['error'] });
  try {
    const keys = app.get(ApiKeyService);
    if (command === 'create') {
      const scope = values.scope as ApiKeyScope;
      if (!values.name || !API_KEY_SCOPES.includes(scope)) {
        process.stderr.write(`create needs --name and a --scope of ${API_KEY_SCOPES.join(' or ')}\n${USAGE}\n`);
        return 2;
      }
      const { key, record } = await keys.create(values.name, scope);
      process.stdout.write(`Created ${record.scope} key "${record.name}" (id ${record.id}). It is shown only now:\n${key}\n`);
    } else if (command === 'list') {
      for (const key of await keys.list()) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
        const used = key.lastUsedAt ? key.lastUsedAt.toISOString() : 'never';
        process.stdout.write(
          `${key.id}  ${key.name}  ${key.scope}  ${key.keyPrefix}…  created ${key.createdAt.toISOString()}  last used ${used}  ${state}\n`,
        );
      }
    } else {
      if (!target) {
        process.stderr.write(`revoke needs an id or name\n${USAGE}\n`);
        return 2;
      }
      const revoked = await keys.revoke(target);
      process.stdout.write(`Revoked ${revoked.map((key) => `"${key.name}" (${key.id})`).join(', ')}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
