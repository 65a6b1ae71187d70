// Parity fixtures of this folder (see fixtures/PROVENANCE.md), read with @limekit/testing.
import { segmentFixtureReader, type SegmentFixture } from '@limekit/testing';
import type { QuickshiftOptions } from '../src/index.js';

/** One reference segmentation written by tools/fixtures/quickshift.py. */
export type QuickshiftFixture = Omit<SegmentFixture, 'options'> & { readonly options: Partial<QuickshiftOptions> };

const reader = segmentFixtureReader(new URL('./fixtures/', import.meta.url));
export const { loadFixtureImage } = reader;

/** Every quickshift fixture, in file-name order. */
export const loadQuickshiftFixtures = (): QuickshiftFixture[] => reader.loadSegmentFixtures('quickshift') as QuickshiftFixture[];
