import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import type { NotificationChannel } from '../entities/notification.entity';

/** Channels whose text is shown as plain text, so HTML escaping would only garble it. */
const PLAIN_TEXT_CHANNELS: ReadonlySet<NotificationChannel> = new Set(['sms', 'push', 'slack', 'webhook']);

export type RenderFormat = 'html' | 'text';

/** How a channel shows a message: in_app and email as HTML (escaped), the rest as plain text. */
export function formatFor(channel: NotificationChannel): RenderFormat {
  return PLAIN_TEXT_CHANNELS.has(channel) ? 'text' : 'html';
}

/** A template failed to compile or render; `field` names the template field at fault. */
export class TemplateRenderError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

type AstNode = hbs.AST.Node & { type: string };

/**
 * Renders notification templates with Handlebars in an isolated environment: HTML-escaped for
 * in_app and email, plain for text channels, and able to list the variables `data` lacks.
 */
@Injectable()
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, HandlebarsTemplateDelegate>();

  /** Throws TemplateRenderError naming `field` when `source` is not valid Handlebars. */
  assertValid(field: string, source: string): void {
    try {
      this.handlebars.parse(source);
    } catch (error) {
      throw new TemplateRenderError(field, `${field} is not a valid template: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /**
   * The variables a template prints directly (`{{name}}`, `{{user.name}}`) that `data` does not
   * have. Variables used only inside blocks (`{{#if}}`, `{{#each}}`) are optional by design.
   */
  missingVariables(sources: string[], data: Record<string, unknown>): string[] {
    const missing = new Set<string>();
    for (const source of sources) {
      for (const path of this.requiredPaths(source)) {
        if (!hasPath(data, path)) missing.add(path);
      }
    }
    return [...missing].sort();
  }

  render(field: string, source: string, data: Record<string, unknown>, format: RenderFormat): string {
    const noEscape = format === 'text';
    const key = `${noEscape ? 'p' : 'h'}:${source}`;
    let template = this.compiled.get(key);
    if (!template) {
      template = this.handlebars.compile(source, { noEscape, strict: false });
      // A bounded cache: templates are few, but their sources come from API callers.
      if (this.compiled.size >= 1000) this.compiled.clear();
      this.compiled.set(key, template);
    }
    try {
      return template(data);
    } catch (error) {
      throw new TemplateRenderError(field, `${field} could not be rendered: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  private requiredPaths(source: string): string[] {
    const program = this.handlebars.parse(source);
    const paths: string[] = [];
    for (const node of program.body as AstNode[]) {
      if (node.type !== 'MustacheStatement') continue;
      const mustache = node as hbs.AST.MustacheStatement;
      const path = mustache.path as hbs.AST.PathExpression;
      const isPlainVariable =
        path.type === 'PathExpression' &&
        !path.data &&
        path.depth === 0 &&
        mustache.params.length === 0 &&
        !mustache.hash &&
        path.parts.length > 0 &&
        !(path.parts.length === 1 && Object.hasOwn(this.handlebars.helpers, path.parts[0]));
      if (isPlainVariable) paths.push(path.parts.join('.'));
    }
    return paths;
  }
}

function hasPath(data: Record<string, unknown>, path: string): boolean {
  let current: unknown = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part)) return false;
    current = (current as Record<string, unknown>)[part];
  }
  return current !== undefined;
}
