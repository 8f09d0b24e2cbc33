// Builds Tollgate's price catalog (api/src/main/resources/dev/tollgate/api/pricing/prices.json) from the data of
// the npm package @pydantic/genai-prices (MIT), which compiles the providers' public pricing pages.
//
//   npm pack @pydantic/genai-prices@0.1.8 && tar xzf pydantic-genai-prices-0.1.8.tgz
//   node api/prices/build-catalog.mjs package 2026-09-23 > api/src/main/resources/dev/tollgate/api/pricing/prices.json
//
// Batch prices, which genai-prices lacks, come from litellm-batch.json beside this script (copied by hand from LiteLLM).
// Arguments: the unpacked package folder, and the catalog's asOf date (the package version's publication date).
// Rules (also written into the file): prices are taken as published in the package, per million tokens, as exact
// decimals; where a price changes on a date, the one in force on asOf is taken; where it depends on the time of day
// (DeepSeek's off-peak discount) the peak price is taken, an upper bound; a price tier above a prompt size becomes
// "longContext"; entries with no text-token price are left out (image, audio-only, per-request models), and so are
// entries without a price unless their id says ":free".
import fs from 'node:fs';
import path from 'node:path';

const [pkgDir, asOf] = process.argv.slice(2);
if (!pkgDir || !/^\d{4}-\d{2}-\d{2}$/.test(asOf ?? '')) {
  console.error('usage: node build-catalog.mjs <unpacked @pydantic/genai-prices folder> <asOf YYYY-MM-DD>');
  process.exit(2);
}
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const lines = fs.readFileSync(path.join(pkgDir, 'dist', 'index.js'), 'utf8').split('\n');
if (!/^const \w+ = \[$/.test(lines[0])) throw new Error('unexpected layout of dist/index.js: the data array is not first');
const end = lines.findIndex((l, i) => i > 0 && /^\]/.test(l));
const providers = (0, eval)('([' + lines.slice(1, end).join('\n') + '])');

// genai-prices provider id -> Tollgate provider id (only providers Tollgate can call)
const PROVIDERS = {
  openai: 'openai', azure: 'azure', anthropic: 'anthropic', google: 'gemini', aws: 'bedrock', mistral: 'mistral',
  cohere: 'cohere', groq: 'groq', together: 'together', fireworks: 'fireworks', deepseek: 'deepseek', 'x-ai': 'xai',
  perplexity: 'perplexity', openrouter: 'openrouter', cerebras: 'cerebras', novita: 'novita', moonshotai: 'moonshot',
  minimax: 'minimax', zhipuai: 'zhipu',
};
const FIELDS = [['input_mtok', 'input'], ['output_mtok', 'output'], ['cache_read_mtok', 'cachedInput'],
  ['cache_write_mtok', 'cacheWrite'], ['output_reasoning_mtok', 'reasoning']];

/** A JS number as a plain decimal string (no exponent): the shortest text that reads back as the same number. */
function plain(n) {
  const s = String(n);
  const m = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[1] + (m[2] ?? '');
  const point = m[1].length + Number(m[3]);
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits;
  return digits.length <= point ? digits + '0'.repeat(point - digits.length) : digits.slice(0, point) + '.' + digits.slice(point);
}

/** The price set in force on asOf: date-gated entries up to asOf, then the highest time-of-day entry. */
function current(prices) {
  if (!Array.isArray(prices)) return { prices, note: null };
  let chosen = prices[0].prices;
  let note = null;
  for (const p of prices.slice(1)) {
    if (p.constraint?.type === 'start_date' && p.constraint.start_date <= asOf) chosen = p.prices;
  }
  const peak = prices.filter(p => p.constraint?.type === 'time_of_date');
  if (peak.length) {
    const top = peak.reduce((a, b) => (b.prices.input_mtok ?? 0) > (a.prices.input_mtok ?? 0) ? b : a);
    if ((top.prices.input_mtok ?? 0) > (chosen.input_mtok ?? 0)) {
      chosen = top.prices;
      note = 'peak price (the provider charges less off-peak)';
    }
  }
  return { prices: chosen, note };
}

function entryOf(id, prices) {
  const e = {};
  let tier = null;
  for (const [from, to] of FIELDS) {
    const v = prices[from];
    if (v === undefined) continue;
    if (typeof v === 'number') { e[to] = plain(v); continue; }
    // tiered: { base, tiers: [{ start, price }] } -> base price, and one long-context tier
    e[to] = plain(v.base);
    if (v.tiers.length !== 1) throw new Error(`${id}: ${v.tiers.length} tiers`);
    tier ??= { aboveInputTokens: v.tiers[0].start };
    if (tier.aboveInputTokens !== v.tiers[0].start) throw new Error(`${id}: tiers start at different sizes`);
    tier[to] = plain(v.tiers[0].price);
  }
  if (tier) e.longContext = tier;
  return e;
}

function matchers(match, out = { equals: [], prefixes: [] }) {
  if (match.or) match.or.forEach(m => matchers(m, out));
  if (match.equals) out.equals.push(match.equals);
  if (match.starts_with) out.prefixes.push(match.starts_with);
  return out;
}

const catalog = {};
let count = 0;
const skipped = [];
for (const p of providers) {
  const to = PROVIDERS[p.id];
  if (!to) continue;
  const models = {};
  for (const m of p.models) {
    const { prices, note } = current(m.prices);
    const free = Object.keys(prices).length === 0 && m.id.endsWith(':free');
    if (!free && prices.input_mtok === undefined) { skipped.push(`${to}/${m.id}`); continue; }
    const e = free ? { input: '0', output: '0' } : entryOf(m.id, prices);
    e.output ??= '0'; // embeddings: input only
    const key = to === 'bedrock' ? m.id.replace(/^regional\./, '') : m.id;
    if (models[key]) throw new Error(`${to}/${key} twice`);
    const { equals, prefixes } = matchers(m.match);
    const aliases = [...new Set(equals.filter(a => a !== key))];
    const starts = [...new Set(prefixes)];
    if (aliases.length) e.aliases = aliases;
    if (starts.length) e.prefixes = starts;
    if (note) e.note = note;
    models[key] = e;
    count++;
  }
  catalog[to] = { pricingPages: p.pricing_urls ?? [], models };
}

// batch prices: genai-prices has none; a few are copied by hand from LiteLLM (litellm-batch.json beside this script)
const batch = JSON.parse(fs.readFileSync(new URL('./litellm-batch.json', import.meta.url), 'utf8'));
for (const [to, models] of Object.entries(batch.providers)) {
  for (const [key, prices] of Object.entries(models)) {
    const e = catalog[to]?.models[key];
    if (!e) throw new Error(`litellm-batch.json: ${to}/${key} is not in the catalog`);
    Object.assign(e, prices);
  }
}

// one model a line, so a price update is a readable diff
const out = [];
out.push('{');
out.push(`  "source": "Compiled by Pydantic's genai-prices (npm ${pkg.name} ${pkg.version}, MIT licence, https://github.com/pydantic/genai-prices) from each provider's public pricing pages, listed under pricingPages; converted by api/prices/build-catalog.mjs. Batch prices: ${batch.source}",`);
out.push(`  "asOf": "${asOf}",`);
out.push('  "unit": "USD per 1,000,000 tokens",');
out.push('  "rules": "input: prompt tokens neither read from nor written to a cache; cachedInput: prompt tokens read from the cache; cacheWrite: prompt tokens written to the cache (5-minute cache for Anthropic); output: completion tokens, reasoning included unless reasoning is given; batchInput/batchOutput: the provider\'s batch API; longContext: the prices of a whole request whose prompt has more than aboveInputTokens tokens; a price that changes on a date is the one in force on asOf; a time-of-day price is the peak price; aliases are other names of the same model, prefixes match any name that starts with them",');
out.push('  "providerAliases": { "gemini-openai": "gemini" },');
out.push('  "providers": {');
const provs = Object.keys(catalog).sort();
provs.forEach((to, i) => {
  const c = catalog[to];
  out.push(`    ${JSON.stringify(to)}: {`);
  out.push(`      "pricingPages": ${JSON.stringify(c.pricingPages)},`);
  out.push('      "models": {');
  const keys = Object.keys(c.models).sort();
  keys.forEach((k, j) => out.push(`        ${JSON.stringify(k)}: ${JSON.stringify(c.models[k])}${j < keys.length - 1 ? ',' : ''}`));
  out.push('      }');
  out.push(`    }${i < provs.length - 1 ? ',' : ''}`);
});
out.push('  }');
out.push('}');
console.log(out.join('\n'));
console.error(`${count} models across ${provs.length} providers; left out (no text-token price): ${skipped.length}`);
