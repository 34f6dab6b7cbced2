// Line charts of a few series (one line per model): scales and ticks, the terminal chart, SVG and HTML.
export * from './scales.js'
export * from './text.js'
export * from './svg.js'
export * from './html.js'
