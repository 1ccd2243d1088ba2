import { ValidateBy, ValidationOptions } from 'class-validator';

/** The years a date may name: Unix time's first, and the last with four digits. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

/**
 * An ISO 8601 date or time in years 1970–9999. Past 9999 a date's ISO text grows a sign and a
 * sixth digit ("+010000-01-01"), which sorts before every four-digit year: a loop over days that
 * compares such texts never ends. Use beside @IsISO8601.
 */
export function IsWithinYears(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWithinYears',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const year = /^(\d{4})-/.exec(value)?.[1];
          const time = Date.parse(value);
          return year !== undefined && Number(year) >= MIN_YEAR && Number(year) <= MAX_YEAR && Number.isFinite(time);
        },
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a date in the years ${MIN_YEAR} to ${MAX_YEAR}`,
      },
    },
    options,
  );
}
