// Stands in for @viz-js/viz inside the playground's worker, which only writes DOT text; the page draws it
// with the real Graphviz (viz.js), loaded on demand.
export function instance(): never {
  throw new Error('Graphviz is not loaded in the worker');
}
export type Viz = never;
