import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { AllExceptionsFilter } from '../common/all-exceptions.filter';
import { EngageValidationPipe } from '../common/validation/validation.pipe';
import { AuthGuard } from './auth.guard';
import { CredentialThrottlerGuard } from './credential-throttler.guard';

/**
 * Every Engage controller's decorator: its routes carry their own guard (authenticate, then rate
 * limit per credential), validation pipe and error filter, bound to the controller rather than to
 * the app. So a host app that imports Engage's modules gets Engage's routes authenticated,
 * validated and answering in Engage's error shape, and its own routes untouched: nothing of
 * Engage's is an APP_GUARD, APP_PIPE or APP_FILTER.
 */
export function EngageController(prefix: string): ClassDecorator {
  return applyDecorators(
    Controller(prefix),
    UseGuards(AuthGuard, CredentialThrottlerGuard),
    UsePipes(EngageValidationPipe),
    UseFilters(AllExceptionsFilter),
  );
}
