// Minifies one script (terser) or stylesheet (csso) for the client bundle:
//   node xtask/minify.mjs SOURCE DESTINATION
// Both tools are plain JS from npm: nothing is downloaded at build time.
import { readFileSync, writeFileSync } from 'node:fs';
import { minify as minifyScript } from 'terser';
import { minify as minifyStyle } from 'csso';

const [source, destination] = process.argv.slice(2);
const text = readFileSync(source, 'utf8');
const minified = source.endsWith('.css')
  ? minifyStyle(text).css
  : (await minifyScript(text, { module: true, compress: true, mangle: true })).code;
writeFileSync(destination, minified);
