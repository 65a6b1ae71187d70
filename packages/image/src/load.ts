import { readFile, stat } from 'node:fs/promises';
import { ImageDecodeError, type RgbImage } from '@limekit/core';
import type { Metadata } from 'sharp';
import { loadSharp } from './sharp-lazy.js';

/** The formats limekit reads, by the name sharp reports. */
const READABLE = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif']);
const FORMATS = 'JPEG, PNG, WebP, TIFF and GIF';

/** What a file's first bytes say it is. */
function sniff(b: Uint8Array): string | undefined {
  const at = (offset: number, text: string) => text.split('').every((c, i) => b[offset + i] === c.charCodeAt(0));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x89 && at(1, 'PNG\r\n\x1a\n')) return 'png';
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) return 'gif';
  if (at(0, 'RIFF') && at(8, 'WEBP')) return 'webp';
  if (at(0, 'II*\0') || at(0, 'MM\0*')) return 'tiff';
  if (at(0, 'BM')) return 'BMP';
  if (at(4, 'ftyp')) return 'HEIF/AVIF/MP4';
  if (at(0, '%PDF')) return 'PDF';
  if (at(0, '8BPS')) return 'Photoshop (PSD)';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'SVG';
  return undefined;
}

/** The file's opening bytes, quoted if they look like text, for "not an image" messages. */
function describeStart(b: Uint8Array): string {
  const head = b.subarray(0, 24);
  const printable = head.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127));
  if (printable) return `it starts with the text ${JSON.stringify(new TextDecoder().decode(head).split('\n')[0])}`;
  return `it starts with the bytes ${Array.from(head.subarray(0, 8), (c) => c.toString(16).padStart(2, '0')).join(' ')}`;
}

/**
 * Whether the file ends before its format says it should: PNG without its IEND chunk, WebP
 * shorter than its RIFF header declares. (JPEG, GIF and TIFF truncation is recognised from the
 * decoder's message.)
 */
function truncation(format: string, b: Uint8Array): string | undefined {
  if (format === 'png') {
    const iend = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
    let end = b.length;
    while (end > 0 && b[end - 1] === 0) end--; // some tools pad files with zeros
    const tail = b.subarray(end - 8, end);
    if (end < 8 || !iend.every((v, i) => tail[i] === v)) return 'the PNG has no IEND chunk at its end';
  }
  if (format === 'webp' && b.length >= 12) {
    const declared = (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0;
    if (declared + 8 > b.length) return `the WebP header declares ${declared + 8} bytes but the file has ${b.length}`;
  }
  return undefined;
}

const TRUNCATED_MESSAGE = /premature end|unexpected end|truncat|end of (file|stream|data)|not enough data|read error/i;

/**
 * Decodes image bytes into 8-bit RGB, the way Python users feed images to lime with PIL's
 * `Image.open(p).convert('RGB')`, plus EXIF orientation:
 * - JPEG, PNG, WebP, TIFF, GIF (the first frame of an animation, the first page of a TIFF);
 * - EXIF orientation applied, so the picture is upright as a viewer shows it (PIL's `Image.open`
 *   does not do this; in Python, `ImageOps.exif_transpose` does);
 * - alpha dropped, keeping the stored colours, as `convert('RGB')` does (see
 *   `docs/decisions/0002-alpha-flattening.md`);
 * - grayscale replicated into R = G = B; palette images expanded; 16-bit samples reduced to 8 bits
 *   (the high byte);
 * - embedded ICC profiles ignored: the stored values are used as sRGB, as PIL and torchvision do,
 *   so the model sees the numbers it was trained on.
 *
 * @param buffer the file's bytes.
 * @param name the file name or path, used in messages (default `image`).
 * @returns `width × height × 3` bytes, row-major, R G B interleaved.
 * @throws ImageDecodeError naming the file, saying what is wrong (empty, truncated, not an image,
 *   an unsupported format, damaged data) and how to fix it.
 */
export async function decodeImage(buffer: Uint8Array, name = 'image'): Promise<RgbImage> {
  if (buffer.length === 0) {
    throw new ImageDecodeError(`Image ${name} is empty (0 bytes). The file was not written completely; re-export or re-download it.`);
  }
  const sniffed = sniff(buffer);
  if (sniffed !== undefined && !READABLE.has(sniffed)) {
    throw new ImageDecodeError(`Image ${name} is ${sniffed}, which limekit does not read. Convert it to PNG or JPEG first (limekit reads ${FORMATS}).`);
  }
  if (sniffed === undefined) {
    throw new ImageDecodeError(`Image ${name} is not an image: ${describeStart(buffer)}. Check that the path points at an image file (limekit reads ${FORMATS}).`);
  }
  const label = sniffed.toUpperCase();
  const cut = truncation(sniffed, buffer);
  if (cut) {
    throw new ImageDecodeError(`Image ${name} is truncated (${label}, ${buffer.length} bytes: ${cut}). The file is incomplete; re-export or re-download it.`);
  }
  const options = { failOn: 'error', animated: false, autoOrient: true, ignoreIcc: true } as const;
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(buffer, options).metadata();
  } catch (err) {
    throw decodeFailure(name, label, undefined, err);
  }
  try {
    const { data, info } = await sharp(buffer, options)
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    throw decodeFailure(name, label, meta, err);
  }
}

function decodeFailure(name: string, label: string, meta: Metadata | undefined, err: unknown): ImageDecodeError {
  const detail = String((err as Error)?.message ?? err).replace(/\s+/g, ' ').trim();
  const size = meta?.width && meta.height ? `, ${meta.width}×${meta.height}` : '';
  if (TRUNCATED_MESSAGE.test(detail)) {
    return new ImageDecodeError(`Image ${name} is truncated (${label}${size}: ${detail}). The file is incomplete; re-export or re-download it.`, { cause: err });
  }
  return new ImageDecodeError(`Image ${name} is damaged and cannot be decoded (${label}${size}: ${detail}). Re-export it, or open and re-save it in an image editor.`, { cause: err });
}

/** Why a path could not be read, in words. */
function readProblem(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'does not exist. Check the path (relative paths start from the current folder)';
    case 'EACCES':
    case 'EPERM':
      return "cannot be read (permission denied). Check the file's permissions, e.g. chmod a+r";
    case 'EISDIR':
      return `is a folder, not an image file. Pass the path of an image (${FORMATS})`;
    case 'ENOTDIR':
      return 'does not exist (a part of the path is a file, not a folder). Check the path';
    default:
      return `cannot be read (${err.code ?? err.message}). Check the path and the disk`;
  }
}

/**
 * Reads and decodes an image file; see {@link decodeImage} for what the pixels are.
 *
 * @param path the file's path.
 * @returns the image as 8-bit RGB at its own (EXIF-oriented) size.
 * @throws ImageDecodeError for a missing file, a folder, a file without read permission, an empty,
 *   truncated, damaged or non-image file; the message names the path and how to fix it.
 */
export async function loadImage(path: string): Promise<RgbImage> {
  let buffer: Buffer;
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    buffer = await readFile(path);
  } catch (err) {
    throw new ImageDecodeError(`Image ${path} ${readProblem(err as NodeJS.ErrnoException)}.`, { cause: err });
  }
  return decodeImage(buffer, path);
}

/**
 * Reads a ground-truth mask image: a pixel is 1 when its R + G + B exceeds 3 · 127 (after the
 * decoding of {@link decodeImage}, so alpha is ignored), else 0.
 *
 * @param path the mask file (typically a black-and-white PNG of the image's size).
 * @returns one byte per pixel (0 or 1) and the size.
 * @throws ImageDecodeError as {@link loadImage}.
 */
export async function loadMask(path: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  const img = await loadImage(path);
  const data = new Uint8Array(img.width * img.height);
  for (let p = 0; p < data.length; p++) data[p] = img.data[3 * p] + img.data[3 * p + 1] + img.data[3 * p + 2] > 3 * 127 ? 1 : 0;
  return { width: img.width, height: img.height, data };
}
