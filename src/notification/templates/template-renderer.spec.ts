import { formatFor, TemplateRenderError, TemplateRenderer } from './template-renderer';

describe(TemplateRenderer.name, () => {
  const sut = new TemplateRenderer();

  it('escapes HTML for in_app and email, not for plain-text channels', () => {
    const data = { name: '<script>"x" & y</script>' };
    expect(sut.render('t', 'Hi {{name}}', data, formatFor('in_app'))).toBe('Hi &lt;script&gt;&quot;x&quot; &amp; y&lt;/script&gt;');
    expect(sut.render('t', 'Hi {{name}}', data, formatFor('email'))).toBe('Hi &lt;script&gt;&quot;x&quot; &amp; y&lt;/script&gt;');
    for (const channel of ['sms', 'push', 'slack', 'webhook'] as const) {
      expect(sut.render('t', 'Hi {{name}}', data, formatFor(channel))).toBe('Hi <script>"x" & y</script>');
    }
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
