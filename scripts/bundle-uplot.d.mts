// Types of scripts/bundle-uplot.mjs for test/report/uplot-bundle.test.ts, which imports it.
/** The text of src/report/html/uplot-bundle.ts built from the uplot package installed under `root`. */
export function uplotBundleSource(root?: string): string;
