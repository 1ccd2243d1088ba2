import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import type { TextFormat } from '../delivery/channel-provider';

/** Escapes a value for a text format that Handlebars does not know (it escapes only HTML). */
const ESCAPES: Partial<Record<TextFormat, (text: string) => string>> = {
  // CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that format.
  markdown: (text) => text.replace(/[\\`*_~|[\]()<>#]/g, '\\$&'),
  // Slack's own rule: &, < and > as entities, so no <!channel>, <@user> or <url|label> is injected.
  mrkdwn: (text) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string),
};

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
 * Renders notification templates with Handlebars in an isolated environment, the values they
 * print escaped for the channel's text format (the channel's provider names it), and lists the
 * variables `data` lacks.
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

  render(field: string, source: string, data: Record<string, unknown>, format: TextFormat): string {
    // Handlebars escapes HTML itself; other formats get their values escaped before rendering.
    const noEscape = format !== 'html';
    const escape = ESCAPES[format];
    const key = `${noEscape ? 'p' : 'h'}:${source}`;
    let template = this.compiled.get(key);
    if (!template) {
      template = this.handlebars.compile(source, { noEscape, strict: false });
      // A bounded cache: templates are few, but their sources come from API callers.
      if (this.compiled.size >= 1000) this.compiled.clear();
      this.compiled.set(key, template);
    }
    try {
      return template(escape ? escapeStrings(data, escape) : data);
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

/** A copy of `value` with every string in it escaped (own properties only, as templates read them). */
function escapeStrings(value: unknown, escape: (text: string) => string): Record<string, unknown> {
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return escape(node);
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, visit(child)]));
  };
  return visit(value) as Record<string, unknown>;
}
