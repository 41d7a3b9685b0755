import { describe, expect, it } from 'vitest';
import { createEmitter } from '../../src/lib/emitter.js';

describe('createEmitter', () => {
  it('works with its methods handed out unbound, as consent.on and the chat client pass them on', () => {
    const { on, emit } = createEmitter<{ change: [n: number] }>();
    const seen: number[] = [];
    const off = on('change', (n) => seen.push(n));
    emit('change', 1);
    off();
    emit('change', 2);
    expect(seen).toEqual([1]);
  });

  it('keeps a throwing listener from reaching the caller or the listeners after it', () => {
    const events = createEmitter<{ ready: [] }>();
    let after = 0;
    events.on('ready', () => {
      throw new Error('host bug');
    });
    events.on('ready', () => after++);
    expect(() => events.emit('ready')).not.toThrow();
    expect(after).toBe(1);
  });
});
