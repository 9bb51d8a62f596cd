/**
 * Makes the app's install icons (public/icons/*.png, committed) from src/favicon.svg with sharp:
 * 192 and 512 px as drawn, and a 512 px "maskable" one whose mark sits inside the central 80 %
 * safe zone on a full-bleed background, since launchers crop it to their own shape
 * (https://www.w3.org/TR/appmanifest/#icon-masks). Run after changing the favicon:
 * `npx tsx packages/web/scripts/make-icons.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(WEB_DIR, 'public', 'icons');
const favicon = readFileSync(join(WEB_DIR, 'src', 'favicon.svg'));

/** The favicon's mark (everything but its rounded square), scaled into the middle 60 % of a full square. */
function maskableSvg(): Buffer {
  const source = favicon.toString('utf8');
  const background = /<rect[^>]*fill="([^"]+)"/.exec(source)?.[1] ?? '#4f46e5';
  const mark = source.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '').replace(/<rect[^>]*\/>/, '');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${background}"/><g transform="translate(12.8 12.8) scale(0.6)">${mark}</g></svg>`,
  );
}

async function render(svg: Buffer, size: number, name: string): Promise<void> {
  await sharp(svg, { density: Math.ceil((72 * size) / 64) })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(join(OUT_DIR, name));
}

await render(favicon, 192, 'icon-192.png');
await render(favicon, 512, 'icon-512.png');
await render(maskableSvg(), 512, 'icon-maskable-512.png');
console.warn(`Icons written to ${OUT_DIR}`);
