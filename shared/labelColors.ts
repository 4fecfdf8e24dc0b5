// Label colours: names, so each theme picks its own shade (renderer/src/styles/labels.css).
// Its own file (no drizzle): the renderer imports it at run time.
export const labelColors = ['gray', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'] as const;
export type LabelColor = (typeof labelColors)[number];
