import { validateSync } from 'class-validator';
import { canonicalLocale, IsLocaleTag, localeFallbacks } from './locale-tag';

describe('locale tags', () => {
  describe(canonicalLocale.name, () => {
    it.each([
      ['pt-br', 'pt-BR'],
      ['PT-BR', 'pt-BR'],
      ['pt', 'pt'],
      ['zh-hant-tw', 'zh-Hant-TW'],
      ['de-DE-1996', 'de-DE-1996'],
      ['iw', 'he'],
      ['sr-latn-rs', 'sr-Latn-RS'],
    ])('canonicalises %s as %s', (tag, canonical) => {
      expect(canonicalLocale(tag)).toBe(canonical);
    });

    it.each([
      ['a repeated region', 'en-GB-GB'],
      ['a one-letter language', 'e'],
      ['an extension', 'en-u-ca-gregory'],
      ['private use', 'x-klingon'],
      ['an underscore', 'pt_BR'],
      ['spaces', ' pt-BR'],
      ['an empty string', ''],
      ['a tag longer than the column', `en-${'abcdefgh-'.repeat(4)}x1`],
    ])('refuses %s', (_what, tag) => {
      expect(canonicalLocale(tag)).toBeNull();
    });
  });

  describe(localeFallbacks.name, () => {
    it('drops one subtag at a time, most specific first', () => {
      expect(localeFallbacks('pt-BR')).toEqual(['pt-BR', 'pt']);
      expect(localeFallbacks('zh-Hant-TW')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh']);
      expect(localeFallbacks('de')).toEqual(['de']);
    });
  });

  describe(IsLocaleTag.name, () => {
    class Probe {
      @IsLocaleTag()
      locale: unknown;
    }
    const errorsFor = (locale: unknown) => validateSync(Object.assign(new Probe(), { locale }));

    it('accepts what Intl canonicalises and names the field otherwise', () => {
      expect(errorsFor('pt-br')).toEqual([]);
      for (const bad of ['en-GB-GB', 'pt_BR', 42, 'x'.repeat(36)]) {
        const [error] = errorsFor(bad);
        expect(error.property).toBe('locale');
        expect(Object.values(error.constraints ?? {})).toContain('locale must be a BCP 47 language tag such as pt-BR');
      }
    });
  });
});
