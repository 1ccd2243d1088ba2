import { TemplateRenderError, TemplateRenderer } from './template-renderer';

describe(TemplateRenderer.name, () => {
  const sut = new TemplateRenderer();

  it('escapes the values a template prints for the text format, never the template text', () => {
    const data = { name: '<script>"x" & y</script> *bold* _it_ [a](b) `c` \\ <!channel>' };
    const source = '**Hi** {{name}}';
    expect(sut.render('t', source, data, 'html')).toBe(
      '**Hi** &lt;script&gt;&quot;x&quot; &amp; y&lt;/script&gt; *bold* _it_ [a](b) &#x60;c&#x60; \\ &lt;!channel&gt;',
    );
    expect(sut.render('t', source, data, 'text')).toBe(`**Hi** ${data.name}`);
    expect(sut.render('t', source, data, 'markdown')).toBe(
      '**Hi** \\<script\\>"x" & y\\</script\\> \\*bold\\* \\_it\\_ \\[a\\]\\(b\\) \\`c\\` \\\\ \\<!channel\\>',
    );
    expect(sut.render('t', source, data, 'mrkdwn')).toBe(
      '**Hi** &lt;script&gt;"x" &amp; y&lt;/script&gt; *bold* _it_ [a](b) `c` \\ &lt;!channel&gt;',
    );
  });

  it('escapes strings nested in objects and arrays, and leaves numbers, booleans and null as they are', () => {
    const data = { user: { name: 'a_b' }, tags: ['x*y'], count: -1.5, ok: true, none: null };
    expect(sut.render('t', '{{user.name}} {{#each tags}}{{this}}{{/each}} {{count}} {{ok}} {{none}}', data, 'markdown')).toBe(
      'a\\_b x\\*y -1.5 true ',
    );
  });

  it('keeps format-escaped and raw compilations of one template apart', () => {
    expect(sut.render('t', '{{v}}', { v: '<b>' }, 'html')).toBe('&lt;b&gt;');
    expect(sut.render('t', '{{v}}', { v: '<b>' }, 'text')).toBe('<b>');
    expect(sut.render('t', '{{v}}', { v: '<b>' }, 'mrkdwn')).toBe('&lt;b&gt;');
  });

  it('lists each missing variable once, including nested paths, sorted', () => {
    expect(sut.missingVariables(['{{b}} {{a}}', '{{user.name}} {{a}}'], { user: {} })).toEqual(['a', 'b', 'user.name']);
    expect(sut.missingVariables(['{{user.name}}'], { user: { name: 'Ada' } })).toEqual([]);
  });

  it('treats null as present and variables inside blocks as optional', () => {
    expect(sut.missingVariables(['{{a}}{{#if b}}{{c}}{{/if}}{{#each items}}{{d}}{{/each}}'], { a: null })).toEqual([]);
  });

  it('does not treat helpers or @data as variables', () => {
    expect(sut.missingVariables(['{{lookup obj "k"}}{{@root.x}}'], {})).toEqual([]);
  });

  it('does not read inherited properties such as __proto__ or constructor', () => {
    expect(sut.missingVariables(['{{constructor}}'], {})).toEqual(['constructor']);
    expect(sut.render('t', '{{constructor.name}}', {}, 'text')).toBe('');
  });

  it('rejects invalid syntax naming the field', () => {
    expect(() => sut.assertValid('message_template', '{{#if x}}')).toThrow(TemplateRenderError);
    try {
      sut.assertValid('message_template', '{{#if x}}');
    } catch (error) {
      expect((error as TemplateRenderError).field).toBe('message_template');
    }
  });
});
