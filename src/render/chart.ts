// Where the chart modules were: kept so that `render/chart.js` imports go on working (see chart/index.ts).
export * from './chart/index.js'
