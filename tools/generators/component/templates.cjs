'use strict';
// File templates of the component generator. Each kind starts from a small, working algorithm
// that passes its contract suite, for the researcher to replace.

const IMPL = {
  sampler: (c) => `import { requireOption, resolveOptions, type RunContext, type SampleBlock, type Sampler, type SamplerSession } from '@limekit/core';

/** Options of {@link ${c.className}}. */
export interface ${c.className}Options {
  /** Probability that a segment is kept. */
  p: number;
}

/** Defaults of {@link ${c.className}Options}. */
export const DEFAULT_${c.upper}_OPTIONS: Readonly<${c.className}Options> = { p: 0.5 };

/**
 * ${c.description}.
 *
 * @remarks Starts as independent Bernoulli(p) rows with the instance first; replace the body of
 * \`next\`. Draw only from \`ctx.rng\`, in an order that does not depend on \`maxRows\`.
 * @see (the paper: authors, venue, year, DOI or arXiv)
 */
export class ${c.className} implements Sampler {
  readonly id = '${c.name}';
  readonly options: Readonly<${c.className}Options>;

  constructor(options: Partial<${c.className}Options> = {}) {
    this.options = resolveOptions('${c.className}', DEFAULT_${c.upper}_OPTIONS, options);
    requireOption(this.options.p >= 0 && this.options.p <= 1, '${c.className}', 'p', 'in [0, 1]', this.options.p);
  }

  start(numFeatures: number, budget: number, ctx: RunContext): SamplerSession {
    const threshold = this.options.p * 4294967296;
    let produced = 0;
    return {
      firstRowIsInstance: true,
      needsObservations: false,
      next(maxRows: number): SampleBlock | null {
        if (produced >= budget) return null;
        const count = Math.min(maxRows, budget - produced);
        const rows = new Uint8Array(count * numFeatures);
        for (let r = 0; r < count; r++) {
          for (let j = 0; j < numFeatures; j++) {
            rows[r * numFeatures + j] = produced + r === 0 || ctx.rng.nextUint32() < threshold ? 1 : 0;
          }
        }
        produced += count;
        return { rows, count };
      },
    };
  }
}
`,
  segmenter: (c) => `import { relabelSequential, requireOption, resolveOptions, type RgbImage, type RunContext, type SegmentMap, type Segmenter } from '@limekit/core';

/** Options of {@link ${c.className}}. */
export interface ${c.className}Options {
  /** Side of the square cells, in pixels. */
  cellSize: number;
}

/** Defaults of {@link ${c.className}Options}. */
export const DEFAULT_${c.upper}_OPTIONS: Readonly<${c.className}Options> = { cellSize: 16 };

/**
 * ${c.description}.
 *
 * @remarks Starts as square cells; replace the body of \`segment\`. Return ids 0..M−1
 * (\`relabelSequential\` renumbers any labelling).
 * @see (the paper: authors, venue, year, DOI or arXiv)
 */
export class ${c.className} implements Segmenter {
  readonly id = '${c.name}';
  readonly options: Readonly<${c.className}Options>;

  constructor(options: Partial<${c.className}Options> = {}) {
    this.options = resolveOptions('${c.className}', DEFAULT_${c.upper}_OPTIONS, options);
    requireOption(Number.isInteger(this.options.cellSize) && this.options.cellSize >= 1, '${c.className}', 'cellSize', 'an integer >= 1', this.options.cellSize);
  }

  segment(image: RgbImage, _ctx: RunContext): SegmentMap {
    const { width, height } = image;
    const s = this.options.cellSize;
    const cols = Math.ceil(width / s);
    const labels = new Int32Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) labels[y * width + x] = Math.floor(y / s) * cols + Math.floor(x / s);
    return relabelSequential(width, height, labels);
  }
}
`,
  kernel: (c) => `import { requireOption, resolveOptions, type Kernel, type SampleBlock } from '@limekit/core';

/** Options of {@link ${c.className}}. */
export interface ${c.className}Options {
  /** Width w of exp(−d²/w²), d the fraction of switched-off segments. */
  kernelWidth: number;
}

/** Defaults of {@link ${c.className}Options}. */
export const DEFAULT_${c.upper}_OPTIONS: Readonly<${c.className}Options> = { kernelWidth: 0.25 };

/**
 * ${c.description}.
 *
 * @remarks Starts as an exponential kernel on the Hamming distance; replace \`weigh\`.
 * @see (the paper: authors, venue, year, DOI or arXiv)
 */
export class ${c.className} implements Kernel {
  readonly id = '${c.name}';
  readonly options: Readonly<${c.className}Options>;

  constructor(options: Partial<${c.className}Options> = {}) {
    this.options = resolveOptions('${c.className}', DEFAULT_${c.upper}_OPTIONS, options);
    requireOption(this.options.kernelWidth > 0, '${c.className}', 'kernelWidth', '> 0', this.options.kernelWidth);
  }

  weigh(block: SampleBlock, numFeatures: number, out: Float64Array): void {
    const w2 = this.options.kernelWidth ** 2;
    for (let r = 0; r < block.count; r++) {
      let off = 0;
      for (let j = 0; j < numFeatures; j++) off += 1 - block.rows[r * numFeatures + j];
      const d = off / numFeatures;
      out[r] = Math.exp(-(d * d) / w2);
    }
  }
}
`,
  surrogate: (c) => `import {
  predictAllOnes,
  requireOption,
  resolveOptions,
  validateProblem,
  weightedMeans,
  weightedR2,
  type FittedSurrogate,
  type RegressionProblem,
  type Surrogate,
} from '@limekit/core';

/** Options of {@link ${c.className}}. */
export interface ${c.className}Options {
  /** L2 penalty. */
  alpha: number;
}

/** Defaults of {@link ${c.className}Options}. */
export const DEFAULT_${c.upper}_OPTIONS: Readonly<${c.className}Options> = { alpha: 1e-6 };

/**
 * ${c.description}.
 *
 * @remarks Starts as weighted ridge regression with an intercept, solved by Gaussian elimination
 * of the normal equations on weight-centred data; replace \`fit\`.
 * @see (the paper: authors, venue, year, DOI or arXiv)
 */
export class ${c.className} implements Surrogate {
  readonly id = '${c.name}';
  readonly options: Readonly<${c.className}Options>;

  constructor(options: Partial<${c.className}Options> = {}) {
    this.options = resolveOptions('${c.className}', DEFAULT_${c.upper}_OPTIONS, options);
    requireOption(this.options.alpha >= 0, '${c.className}', 'alpha', '>= 0', this.options.alpha);
  }

  fit(problem: RegressionProblem): FittedSurrogate {
    validateProblem(problem, '${c.className}');
    const { X, n, d, y, sampleWeight: w } = problem;
    const { xMean, yMean } = weightedMeans(problem);
    const A = Array.from({ length: d }, () => new Float64Array(d + 1));
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        const xa = X[i * d + a] - xMean[a];
        for (let b = 0; b < d; b++) A[a][b] += w[i] * xa * (X[i * d + b] - xMean[b]);
        A[a][d] += w[i] * xa * (y[i] - yMean);
      }
    }
    for (let a = 0; a < d; a++) A[a][a] += this.options.alpha + 1e-12;
    for (let col = 0; col < d; col++) {
      let pivot = col;
      for (let r = col + 1; r < d; r++) if (Math.abs(A[r][col]) > Math.abs(A[pivot][col])) pivot = r;
      [A[col], A[pivot]] = [A[pivot], A[col]];
      for (let r = col + 1; r < d; r++) {
        const f = A[r][col] / A[col][col];
        for (let k = col; k <= d; k++) A[r][k] -= f * A[col][k];
      }
    }
    const coef = new Float64Array(d);
    for (let r = d - 1; r >= 0; r--) {
      let s = A[r][d];
      for (let k = r + 1; k < d; k++) s -= A[r][k] * coef[k];
      coef[r] = s / A[r][r];
    }
    let intercept = yMean;
    for (let j = 0; j < d; j++) intercept -= xMean[j] * coef[j];
    return { coef, intercept, score: weightedR2(problem, coef, intercept), localPrediction: predictAllOnes(coef, intercept) };
  }
}
`,
  baseline: (c) => `import { requireOption, resolveOptions, type Baseline, type RgbImage, type RunContext, type SegmentMap } from '@limekit/core';

/** Options of {@link ${c.className}}. */
export interface ${c.className}Options {
  /** Grey level of the fill, 0–255. */
  level: number;
}

/** Defaults of {@link ${c.className}Options}. */
export const DEFAULT_${c.upper}_OPTIONS: Readonly<${c.className}Options> = { level: 128 };

/**
 * ${c.description}.
 *
 * @remarks Starts as a flat grey fill; replace \`fill\`. Draw randomness only from \`ctx.rng\`.
 * @see (the paper: authors, venue, year, DOI or arXiv)
 */
export class ${c.className} implements Baseline {
  readonly id = '${c.name}';
  readonly options: Readonly<${c.className}Options>;

  constructor(options: Partial<${c.className}Options> = {}) {
    this.options = resolveOptions('${c.className}', DEFAULT_${c.upper}_OPTIONS, options);
    requireOption(Number.isInteger(this.options.level) && this.options.level >= 0 && this.options.level <= 255, '${c.className}', 'level', 'an integer in 0..255', this.options.level);
  }

  fill(image: RgbImage, _segments: SegmentMap, _ctx: RunContext): RgbImage {
    return { width: image.width, height: image.height, data: new Uint8Array(image.data.length).fill(this.options.level) };
  }
}
`,
};

const CONTRACT = {
  sampler: (c) => `describeSamplerContract('${c.className}', () => new ${c.className}(), { firstRowAllOnes: true });`,
  segmenter: (c) => `describeSegmenterContract('${c.className}', () => new ${c.className}());`,
  kernel: (c) => `describeKernelContract('${c.className}', () => new ${c.className}());`,
  surrogate: (c) => `describeSurrogateContract('${c.className}', () => new ${c.className}());`,
  baseline: (c) => `describeBaselineContract('${c.className}', () => new ${c.className}());`,
};

const TOKEN = { sampler: 'Sampler', segmenter: 'Segmenter', kernel: 'Kernel', surrogate: 'Surrogate', baseline: 'Baseline' };

function templates(c) {
  const file = `${c.name}-${c.kind}`;
  const contract = `describe${c.kindClass === 'Baseline' ? 'Baseline' : c.kindClass === 'Kernel' ? 'Kernel' : c.kindClass}Contract`;
  return {
    'package.json': JSON.stringify(
      {
        name: c.pkg,
        version: '0.1.0',
        description: c.description,
        license: 'MIT',
        type: 'module',
        main: './dist/index.js',
        types: './dist/index.d.ts',
        exports: { '.': { '@limekit/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
        files: ['dist', 'README.md'],
        scripts: { build: 'tsc -p tsconfig.lib.json', typecheck: 'tsc -p tsconfig.json --noEmit', lint: 'eslint src', test: 'vitest run' },
        nx: { tags: ['type:component'] },
        dependencies: { '@limekit/core': '0.1.0' },
        devDependencies: { '@limekit/testing': '0.1.0' },
      },
      null,
      2,
    ) + '\n',
    'tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, customConditions: ['@limekit/source'] }, include: ['src/**/*.ts', 'test/**/*.ts', 'vitest.config.mts'] }, null, 2) + '\n',
    'tsconfig.lib.json': JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' }, include: ['src/**/*.ts'], exclude: ['src/**/*.spec.ts'] }, null, 2) + '\n',
    'vitest.config.mts': `import { defineProject } from 'vitest/config';\nimport { sharedProjectConfig } from '../../vitest.shared.mjs';\n\nexport default defineProject(sharedProjectConfig(import.meta.url));\n`,
    [`src/${file}.ts`]: IMPL[c.kind](c),
    'src/component.ts': `import type { ComponentDefinition, ${TOKEN[c.kind]} } from '@limekit/core';
import { ${c.className}, DEFAULT_${c.upper}_OPTIONS, type ${c.className}Options } from './${file}.js';

/** Config entry: \`{ "${c.kind}": { "use": "${c.name}", "options": { … } } }\`. */
export const ${c.constName}${c.kindClass}Component: ComponentDefinition<${TOKEN[c.kind]}, ${c.className}Options> = {
  kind: '${c.kind}',
  id: '${c.name}',
  description: ${JSON.stringify(c.description)},
  defaults: DEFAULT_${c.upper}_OPTIONS,
  create: (options) => new ${c.className}(options),
};
`,
    'src/index.ts': `export * from './${file}.js';\nexport * from './component.js';\n`,
    [`src/${file}.spec.ts`]: `import { ${contract} } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { ${c.className} } from './${file}.js';

${CONTRACT[c.kind](c)}

describe('${c.className}', () => {
  it('rejects unknown options with a message naming them', () => {
    expect(() => new ${c.className}({ nope: 1 } as never)).toThrow(/unknown option "nope"/);
  });
});
`,
    'README.md': `# ${c.pkg}

${c.description}.

Use it in a config file as \`{ "${c.kind}": { "use": "${c.name}", "options": { … } } }\`, or register it
with \`registerComponent(container, ${c.constName}${c.kindClass}Component, options)\` from \`@limekit/lime\`.

## Parameters

| option | default | meaning |
| --- | --- | --- |
| (fill in) | | |

## References

- (authors, title, venue, year, DOI or arXiv)
`,
  };
}

module.exports = { templates };
