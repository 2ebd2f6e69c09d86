import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { invalidArgument } from '../../results/errors.js';
import { nullProto } from './attribute-values.js';

/** DynamoDB refuses expressions longer than 4 KB. */
export const MAX_EXPRESSION_LENGTH = 4096;

/**
 * The only way a name or a value reaches an expression: as a generated placeholder (`#n0`,
 * `:v0`) whose real text travels in ExpressionAttributeNames/Values. No agent-supplied text
 * is ever concatenated into expression syntax, so `a) OR (b`, `#x`, `:y` or ` OR ` in a name
 * or value are data, never syntax.
 */
export class Placeholders {
  private readonly names = new Map<string, string>();
  private readonly values = nullProto<AttributeValue>();
  private valueCount = 0;

  /** `#nK` for an attribute name; the same name always gets the same placeholder. */
  name(attribute: string): string {
    if (typeof attribute !== 'string' || attribute.length === 0) throw invalidArgument('an attribute name is empty', 'Give attribute names as non-empty strings.');
    if (attribute.length > 65_535) throw invalidArgument('an attribute name is longer than 64 KB', 'Use the attribute names shown by describe.');
    let placeholder = this.names.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.names.size.toString(36)}`;
      this.names.set(attribute, placeholder);
    }
    return placeholder;
  }

  /** `:vK` for a value; every value gets its own placeholder. */
  value(value: AttributeValue): string {
    const placeholder = `:v${(this.valueCount++).toString(36)}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  /** The request fields (absent when unused: DynamoDB rejects empty or unused maps). */
  requestFields(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
    const names = nullProto<string>();
    for (const [attribute, placeholder] of this.names) names[placeholder] = attribute;
    return {
      ...(this.names.size > 0 ? { ExpressionAttributeNames: names } : {}),
      ...(this.valueCount > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

/** Refuses an expression DynamoDB would refuse for its length, with advice the model can act on. */
export function checkExpressionLength(kind: string, expression: string): string {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw invalidArgument(`the ${kind} is ${expression.length} characters once built; DynamoDB accepts at most ${MAX_EXPRESSION_LENGTH}`, 'Simplify the filter: fewer conditions, or shorter "in" lists.');
  }
  return expression;
}

/** ProjectionExpression from attribute names (top-level attributes; a "." in a name is part of the name). */
export function projectionExpression(attributes: readonly string[], placeholders: Placeholders): string {
  return checkExpressionLength('projection', [...new Set(attributes)].map((a) => placeholders.name(a)).join(', '));
}
