import { describe, expect, it } from 'vitest';
import { rootContainer } from './di.js';

describe('di: tsyringe loaded with require', () => {
  it('is the instance an ES import of tsyringe gets, with the Reflect metadata API installed', async () => {
    const esm = await import('tsyringe');
    // A plugin that imports tsyringe itself registers into the container limekit resolves from.
    expect(esm.container).toBe(rootContainer);
    expect(typeof (Reflect as unknown as { getMetadata?: unknown }).getMetadata).toBe('function');
    const token = Symbol('di.spec');
    esm.container.register(token, { useValue: 42 });
    expect(rootContainer.resolve(token)).toBe(42);
  });
});
