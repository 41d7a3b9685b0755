import { describe, expect, it } from 'vitest';
import { fillPlaceholders, shortcutQuery } from '../../server/console/canned-placeholders.js';
import { answerWords } from '../../server/console/inbox-words.js';

const ctx = { customer: { name: 'Ada Lovelace', email: 'ada@example.com', id: 'u-1' }, agent: { name: 'Bob', email: 'bob@shop.example' }, conversation: { id: 'c-9' } };

describe('canned replies in the composer', () => {
  it('fills the customer, agent and conversation placeholders, spaces and case aside', () => {
    expect(fillPlaceholders('Hi {{customer.name}}, {{ agent.name }} here ({{Conversation.ID}}) — {{customer.first_name}}', ctx)).toBe('Hi Ada Lovelace, Bob here (c-9) — Ada');
  });

  it('leaves nothing in braces for an unknown placeholder or a missing value, and never reads an object’s own machinery', () => {
    expect(fillPlaceholders('{{customer.phone}}|{{nobody.name}}|{{customer.constructor}}|{{customer.__proto__}}|{{agent.toString}}', ctx)).toBe('||||');
    expect(fillPlaceholders('Hi {{customer.name}}!', { customer: { name: null }, agent: {}, conversation: {} })).toBe('Hi !');
    // Not a placeholder: kept as written.
    expect(fillPlaceholders('{{ customer name }} {customer.name} {{}}', ctx)).toBe('{{ customer name }} {customer.name} {{}}');
  });

  it('knows a shortcut only while the composer holds nothing but a slash and a word', () => {
    expect(shortcutQuery('/')).toBe('');
    expect(shortcutQuery('/Thanks')).toBe('thanks');
    expect(shortcutQuery('/merci-beaucoup_2')).toBe('merci-beaucoup_2');
    expect(shortcutQuery('/thanks ')).toBeUndefined();
    expect(shortcutQuery('see /thanks')).toBeUndefined();
    expect(shortcutQuery('')).toBeUndefined();
  });
});

describe('survey answers in the inbox', () => {
  it('says "skipped" for what the customer skipped, never "why: null"', () => {
    expect(answerWords({ score: 2, why: null })).toBe('score: 2');
    expect(answerWords({ why: '' })).toBe('skipped');
    expect(answerWords(['fast', 'kind'])).toBe('fast, kind');
    expect(answerWords(null)).toBe('skipped');
    expect(answerWords(4)).toBe('4');
  });
});
