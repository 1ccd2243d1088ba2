// The framework's floor for POST /api/activity/track: a bare Nest app on the Express adapter with
// one route, taking Engage's own TrackActivityDto through the ValidationPipe, and no database, no
// guards, no logging, no helmet. It tells how much of Engage's cost per request is Nest + Express
// before Engage does anything. Needs the built code (`npm run bench` builds first).
// Run: node bench/nest-floor.cjs <port>
require('reflect-metadata');
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const { Body, Controller, Get, HttpCode, Module, Post, ValidationPipe } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { TrackActivityDto } = require(join(__dirname, '..', 'dist', 'src', 'activity', 'dto', 'activity.dto.js'));

// Plain JavaScript, so the decorators are applied by hand (what TypeScript would emit).
class FloorController {
  track(_dto) {
    return { success: true, activity_id: randomUUID(), session_id: null };
  }

  health() {
    return { status: 'ok' };
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(FloorController.prototype, name);
Body()(FloorController.prototype, 'track', 0);
Reflect.defineMetadata('design:paramtypes', [TrackActivityDto], FloorController.prototype, 'track');
Reflect.decorate([Post('api/activity/track'), HttpCode(201)], FloorController.prototype, 'track', method('track'));
Reflect.decorate([Get('api/health')], FloorController.prototype, 'health', method('health'));
Reflect.decorate([Controller()], FloorController);

class FloorModule {}
Reflect.decorate([Module({ controllers: [FloorController] })], FloorModule);

async function main() {
  const app = await NestFactory.create(FloorModule, { logger: ['error'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  await app.listen(Number(process.argv[2]), '127.0.0.1');
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
