// The chart files `sweep --out` writes, opened in a real headless Chromium as a person would open them: the page
// lays out one visible polyline per model, and the screenshot shows each model's colour on a white page.
// Needs a Chromium binary (Debian: apt-get install chromium; or CHROMIUM_PATH); skipped, saying why, without one.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {chromium, type Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {seriesColours} from '../../src/render/chart.js'
import {runCli} from '../cli/run.js'
import {countColour, countNonWhite, decodePng} from '../helpers/png.js'

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => Boolean(p))
const executable = candidates.find((p) => existsSync(p))
if (!executable) console.warn(`skipping the browser test: no Chromium at ${candidates.join(', ')} (apt-get install chromium, or set CHROMIUM_PATH)`)

const models = ['gemma-3-27b-it', 'mistral-small-3.1-24b-instruct-2503', 'llama-3.1-8b']

describe.skipIf(!executable)('sweep --out in headless Chromium', () => {
  let dir = ''
  let browser: Browser | undefined
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'archcost-browser-'))
    browser = await chromium.launch({executablePath: executable, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']})
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    // KEEP_BROWSER_SHOTS=1 keeps the files and screenshots to look at.
    if (dir && !process.env.KEEP_BROWSER_SHOTS) rmSync(dir, {recursive: true, force: true})
  })

  it('renders the SVG and the HTML page: one polyline per model with a real extent, each colour on screen', async () => {
    for (const file of ['kv.svg', 'kv.html']) {
      const path = join(dir, file)
      const r = runCli(['sweep', ...models, '--over', 'context=1k..1M', '--log', '--out', path, '--json'])
      expect(r.code, r.stderr).toBe(0)
      const page = await browser!.newPage({viewport: {width: 1200, height: 900}})
      await page.goto(pathToFileURL(path).href)
      const shapes = await page.evaluate(() => {
        const box = (e: Element) => {
          const b = e.getBoundingClientRect()
          return {width: b.width, height: b.height}
        }
        return {
          polylines: [...document.querySelectorAll('polyline')].map((p) => ({...box(p), stroke: p.getAttribute('stroke'), length: (p as SVGPolylineElement).getTotalLength()})),
          svg: box(document.querySelector('svg')!),
          texts: [...document.querySelectorAll('svg text')].map((t) => t.textContent ?? ''),
          title: box([...document.querySelectorAll('svg text')].find((t) => t.textContent?.startsWith('KV cache against context'))!),
        }
      })
      expect(shapes.polylines).toHaveLength(models.length)
      shapes.polylines.forEach((p, i) => {
        expect(p.stroke).toBe(seriesColours[i])
        expect(p.width).toBeGreaterThan(300) // 1k .. 1M spans the whole 640-pixel plot
        expect(p.height).toBeGreaterThan(100)
        expect(p.length).toBeGreaterThan(600)
      })
      expect(shapes.svg.width).toBeGreaterThan(700)
      expect(shapes.title.width).toBeGreaterThan(100)
      for (const label of ['1k', '1M', 'Context (tokens), log scale', ...models]) expect(shapes.texts).toContain(label)

      const png = await page.screenshot() // the viewport holds the chart (fullPage hangs on a bare SVG document)
      writeFileSync(join(dir, `${file}.png`), png)
      const image = decodePng(png)
      expect(image.width).toBeGreaterThan(700)
      expect(countNonWhite(image)).toBeGreaterThan(5000)
      for (const colour of seriesColours.slice(0, models.length)) expect(countColour(image, colour)).toBeGreaterThan(300)
      await page.close()
    }
  }, 60_000)
})
