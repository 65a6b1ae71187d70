import { createRequire } from 'node:module';
import { ModelError } from '@limekit/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Which TensorFlow.js backend runs the model.
 * - `auto`: `@tensorflow/tfjs-node-gpu` when installed, else `@tensorflow/tfjs-node`, else the
 *   WebAssembly backend, else the plain JavaScript CPU backend;
 * - `tensorflow`: libtensorflow through `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` (an error when neither loads);
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD);
 * - `cpu`: `@tensorflow/tfjs-backend-cpu`, plain JavaScript (slow; for checking the others).
 */
export type TfjsBackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The native packages, in order of preference. Optional peers of this package. */
export const NODE_BACKEND_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** What {@link selectBackend} chose, for the explanation's model info. */
export interface BackendReport {
  /** TensorFlow.js's name of the backend: `tensorflow`, `wasm` or `cpu`. */
  readonly backend: string;
  /** The npm package that provides it. */
  readonly backendPackage: string;
  /** One line per candidate tried and not used, with why (not installed, failed to start). */
  readonly tried: readonly string[];
}

/** Loads a module by specifier; the default is a dynamic `import`, tests pass their own. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const require = createRequire(import.meta.url);

/** Resolves the package first (a missing one fails with MODULE_NOT_FOUND under any loader), then imports it. */
const defaultImporter: ModuleImporter = async (specifier) => {
  require.resolve(specifier);
  return import(specifier);
};

function notInstalled(err: unknown, specifier: string): boolean {
  const e = err as NodeJS.ErrnoException;
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && String(e.message).includes(specifier);
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0];

/**
 * Makes `name` the active TensorFlow.js backend.
 * @returns undefined on success, else why not.
 */
async function activate(name: string): Promise<string | undefined> {
  if (tf.getBackend() === name) return undefined;
  if (!tf.engine().registryFactory[name]) return `the package loaded but registered no "${name}" backend with this copy of @tensorflow/tfjs-core ${tf.version_core} (two copies installed? install versions matching @tensorflow/tfjs ${tf.version.tfjs})`;
  try {
    return (await tf.setBackend(name)) ? undefined : `backend "${name}" failed to initialise`;
  } catch (err) {
    return `backend "${name}" failed to initialise: ${firstLine(err)}`;
  }
}

/**
 * Chooses and activates the TensorFlow.js backend (see {@link TfjsBackendChoice}).
 *
 * @param requested the `backend` option.
 * @param importer loads the optional native packages; replaceable for tests.
 * @returns the backend, its package and the candidates passed over.
 * @throws ModelError when a specific backend was requested and cannot start, naming the reason and the alternatives.
 * @remarks The backend is process-wide in TensorFlow.js: every tfjs model in the process runs on
 *   the last backend activated. Adapters re-activate theirs before each batch when it changed.
 */
export async function selectBackend(requested: TfjsBackendChoice, importer: ModuleImporter = defaultImporter): Promise<BackendReport> {
  const tried: string[] = [];
  if (requested === 'auto' || requested === 'tensorflow') {
    for (const pkg of NODE_BACKEND_PACKAGES) {
      try {
        await importer(pkg);
      } catch (err) {
        tried.push(`${pkg}: ${notInstalled(err, pkg) ? 'not installed' : `failed to load (${firstLine(err)})`}`);
        continue;
      }
      const why = await activate('tensorflow');
      if (why === undefined) return { backend: 'tensorflow', backendPackage: pkg, tried };
      tried.push(`${pkg}: ${why}`);
    }
    if (requested === 'tensorflow') {
      throw new ModelError(
        `TensorFlow.js backend "tensorflow" is not available (${tried.join('; ')}). Install @tensorflow/tfjs-node (or -gpu, with CUDA) in the same version as @tensorflow/tfjs ${tf.version.tfjs}; its install downloads libtensorflow. Or use backend "wasm".`,
      );
    }
  }
  if (requested === 'auto' || requested === 'wasm') {
    let why: string | undefined;
    try {
      await importer('@tensorflow/tfjs-backend-wasm');
      why = await activate('wasm');
    } catch (err) {
      why = `failed to load (${firstLine(err)})`;
    }
    if (why === undefined) return { backend: 'wasm', backendPackage: '@tensorflow/tfjs-backend-wasm', tried };
    if (requested === 'wasm') throw new ModelError(`TensorFlow.js backend "wasm" cannot start: ${why}. Use backend "cpu", or reinstall @tensorflow/tfjs-backend-wasm.`);
    tried.push(`@tensorflow/tfjs-backend-wasm: ${why}`);
  }
  const why = await activate('cpu');
  if (why !== undefined) throw new ModelError(`TensorFlow.js backend "cpu" cannot start: ${why}.`);
  return { backend: 'cpu', backendPackage: '@tensorflow/tfjs-backend-cpu', tried };
}
