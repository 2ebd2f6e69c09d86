import { describe, expect, it } from 'vitest';
import { complexityProblem, MAX_NESTING, MAX_POLICY_TOKENS } from '../../../src/policy/complexity.js';

describe('policy text complexity bounds (before Cedar parses it)', () => {
  it('accepts the shapes real policies have', () => {
    const policy = '@id("a")\npermit (principal in DataMcp::Role::"reader", action in [DataMcp::Action::"read"], resource)\nwhen { resource.hasTag("x") && (resource.getTag("x") == "y" || context.hour < 8) };\n';
    expect(complexityProblem(policy.repeat(500), { countTokens: true })).toBeUndefined();
  });

  it('refuses bracket nesting past the bound, counting every bracket kind', () => {
    expect(complexityProblem(`${'('.repeat(MAX_NESTING)}x${')'.repeat(MAX_NESTING)}`, { countTokens: false })).toBeUndefined();
    expect(complexityProblem(`${'([{'.repeat(22)}x`, { countTokens: false })).toMatch(/nest deeper than 64 levels \(line 1\)/);
  });

  it('ignores brackets and semicolons inside strings and comments', () => {
    const text = `permit (principal, action, resource) when { "${'('.repeat(500)};" == "a" }; // ${'['.repeat(500)}\n`;
    expect(complexityProblem(text, { countTokens: true })).toBeUndefined();
  });

  it('refuses one very long policy, but not many short ones', () => {
    const long = `permit (principal, action, resource) when { ${Array(MAX_POLICY_TOKENS).fill('1').join(' + ')} > 0 };`;
    expect(complexityProblem(long, { countTokens: true })).toMatch(/longer than 2000 tokens/);
    expect(complexityProblem(long, { countTokens: false })).toBeUndefined();
    expect(complexityProblem('permit (principal, action, resource);\n'.repeat(5000), { countTokens: true })).toBeUndefined();
  });

  it('names the line of the problem', () => {
    expect(complexityProblem(`a;\nb;\n${'('.repeat(65)}`, { countTokens: false })).toContain('line 3');
  });
});
