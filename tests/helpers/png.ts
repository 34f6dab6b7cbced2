// A minimal PNG reader for test screenshots: 8-bit RGB or RGBA, not interlaced (what Chromium writes).
import {inflateSync} from 'node:zlib'

export interface Image {
  width: number
  height: number
  /** RGBA, 4 bytes per pixel, row by row. */
  rgba: Uint8Array
}

export function decodePng(png: Uint8Array): Image {
  const buf = Buffer.from(png)
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG')
  let pos = 8
  let width = 0
  let height = 0
  let colorType = -1
  const data: Buffer[] = []
  while (pos < buf.length) {
    const length = buf.readUInt32BE(pos)
    const type = buf.toString('latin1', pos + 4, pos + 8)
    const body = buf.subarray(pos + 8, pos + 8 + length)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      colorType = body[9]!
      if (body[8] !== 8 || body[12] !== 0) throw new Error('only 8-bit, non-interlaced PNGs')
    } else if (type === 'IDAT') data.push(body)
    else if (type === 'IEND') break
    pos += 12 + length
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0
  if (!bpp) throw new Error(`PNG colour type ${colorType} not handled`)
  const raw = inflateSync(Buffer.concat(data))
  const stride = width * bpp
  const out = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!
      const a = x >= bpp ? out[y * stride + x - bpp]! : 0
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp]! : 0
      let predictor = 0
      if (filter === 1) predictor = a
      else if (filter === 2) predictor = b
      else if (filter === 3) predictor = (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      }
      out[y * stride + x] = (v + predictor) & 255
    }
  }
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = out[i * bpp]!
    rgba[i * 4 + 1] = out[i * bpp + 1]!
    rgba[i * 4 + 2] = out[i * bpp + 2]!
    rgba[i * 4 + 3] = bpp === 4 ? out[i * bpp + 3]! : 255
  }
  return {width, height, rgba}
}

/** Pixels within `tolerance` of the colour "#rrggbb" in every channel. */
export function countColour(image: Image, hex: string, tolerance = 8): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  let count = 0
  for (let i = 0; i < image.rgba.length; i += 4)
    if (Math.abs(image.rgba[i]! - r!) <= tolerance && Math.abs(image.rgba[i + 1]! - g!) <= tolerance && Math.abs(image.rgba[i + 2]! - b!) <= tolerance) count++
  return count
}

export function countNonWhite(image: Image): number {
  let count = 0
  for (let i = 0; i < image.rgba.length; i += 4) if (image.rgba[i]! < 250 || image.rgba[i + 1]! < 250 || image.rgba[i + 2]! < 250) count++
  return count
}
