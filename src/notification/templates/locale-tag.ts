import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * The shape of a locale as a user's contact record takes it (PUT /api/users/{user_id}/contact):
 * a 2–3 letter language, then subtags of 2–8 letters or digits. No singletons, so no extensions
 * or private use (`-u-…`, `-x-…`): a locale here picks a translation, nothing more.
 */
export const LOCALE_TAG_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The width of the contact's and the variants' locale columns. */
export const MAX_LOCALE_TAG_LENGTH = 35;

/**
 * The canonical form of a BCP 47 tag (`pt-br` → `pt-BR`, `zh-hant-tw` → `zh-Hant-TW`, `iw` →
 * `he`), or null when it is not one: Intl.getCanonicalLocales is the definition, and it throws on
 * what the pattern lets through but BCP 47 does not (`en-GB-GB`, a repeated region).
 */
export function canonicalLocale(tag: string): string | null {
  if (tag.length > MAX_LOCALE_TAG_LENGTH || !LOCALE_TAG_PATTERN.test(tag)) return null;
  let canonical: string | undefined;
  try {
    [canonical] = Intl.getCanonicalLocales(tag);
  } catch {
    return null;
  }
  // An alias can canonicalise to a longer tag (`sh` → `sr-Latn`); it must still fit the column.
  return canonical !== undefined && canonical.length <= MAX_LOCALE_TAG_LENGTH ? canonical : null;
}

/**
 * The locales to try for a canonical `locale`, most specific first: `pt-BR` → `pt-BR`, `pt`;
 * `zh-Hant-TW` → `zh-Hant-TW`, `zh-Hant`, `zh`. RFC 4647's lookup, by dropping the last subtag
 * (the pattern admits no singletons, so none has to be dropped with it); the caller falls back to
 * the base template after the last.
 */
export function localeFallbacks(locale: string): string[] {
  const subtags = locale.split('-');
  return subtags.map((_subtag, index) => subtags.slice(0, subtags.length - index).join('-'));
}

/** A BCP 47 language tag that Intl accepts; the service stores its canonical form. */
export function IsLocaleTag(options: ValidationOptions = {}): PropertyDecorator {
  const message = '$property must be a BCP 47 language tag such as pt-BR';
  return applyDecorators(
    IsString(options),
    MaxLength(MAX_LOCALE_TAG_LENGTH, options),
    Matches(LOCALE_TAG_PATTERN, { message, ...options }),
    ValidateBy(
      {
        name: 'isLocaleTag',
        validator: { validate: (value: unknown) => typeof value === 'string' && canonicalLocale(value) !== null },
      },
      { message, ...options },
    ),
  );
}
