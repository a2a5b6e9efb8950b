import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { Builder, scenarioClasses, type Recipe } from './builder.js';
import { recipes } from './recipes/index.js';
import { createStactus } from './stactus.js';

/*
 * Builds the generated evaluation scenarios of test/scenarios/ (see its README) from the real
 * incident histories in <fixtures>/real/stactus. Deterministic: each scenario draws from a random
 * stream seeded by its name.
 *
 *   npx tsx test/scenarios-build/build.ts            write every generated scenario
 *   npx tsx test/scenarios-build/build.ts --check    fail when a file on disk differs from its recipe
 *   npx tsx test/scenarios-build/build.ts <filter>   only the scenarios whose name contains <filter>
 *
 * UPCAUSE_FIXTURES points at the fixtures (default ../shared/fixtures from the repository root).
 */

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const outDir = path.join(repoRoot, 'test', 'scenarios');
const fixtures = path.resolve(repoRoot, process.env.UPCAUSE_FIXTURES ?? '../shared/fixtures');

/** Stactus ids a hand-written scenario already uses (its vendor incidents, or the incident its story is modelled on). */
function legacyIds(generated: Set<string>): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of readdirSync(outDir).filter((f) => f.endsWith('.json'))) {
    if (generated.has(file)) continue;
    const data = JSON.parse(readFileSync(path.join(outDir, file), 'utf8')) as {
      description?: string;
      vendorIncidents?: { id: string }[];
    };
    for (const v of data.vendorIncidents ?? []) used.set(v.id, file);
    for (const token of data.description?.match(/\b(?=[a-z]*\d)[a-z0-9]{12}\b/g) ?? []) used.set(token, file);
  }
  return used;
}

interface IndexRow {
  name: string;
  cls: string;
  expect: string[];
  source: string;
  generated: boolean;
}

/** The hand-written scenarios, for the index. */
function legacyRows(generated: Set<string>): IndexRow[] {
  return readdirSync(outDir)
    .filter((f) => f.endsWith('.json') && !generated.has(f))
    .map((file) => {
      const data = JSON.parse(readFileSync(path.join(outDir, file), 'utf8')) as {
        class?: string;
        expect?: Record<string, string>;
        vendorIncidents?: { vendor: string; id: string }[];
      };
      return {
        name: file.replace(/\.json$/, ''),
        cls: data.class ?? '-',
        expect: Object.values(data.expect ?? {}),
        source: (data.vendorIncidents ?? []).map((v) => `${v.vendor} \`${v.id}\``).join('; ') || 'see README',
        generated: false,
      };
    });
}

/** test/scenarios/INDEX.md: every scenario by class, with its expected verdicts and its source. */
function indexOf(rows: IndexRow[]): string {
  const order = (c: string) => (scenarioClasses as readonly string[]).indexOf(c);
  const sorted = [...rows].sort((a, b) => order(a.cls) - order(b.cls) || a.name.localeCompare(b.name));
  const lines = [
    '# Scenario index',
    '',
    'Written by `npx tsx test/scenarios-build/build.ts` (do not edit by hand): every scenario of this',
    'directory by class, with its expected verdicts and where its vendor side comes from. "hand-written"',
    'scenarios are described in README.md; the others are built by the generator from the stactus',
    'histories (`page` `incident id`).',
    '',
    '| Scenario | Class | Expect | Source | Built |',
    '| --- | --- | --- | --- | --- |',
    ...sorted.map(
      (r) =>
        `| \`${r.name}\` | ${r.cls} | ${r.expect.join(', ')} | ${r.source.replace(/\|/g, '\\|')} | ${r.generated ? 'generated' : 'hand-written'} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const filter = args.find((a) => !a.startsWith('--'));
  if (!existsSync(path.join(fixtures, 'real', 'stactus')))
    throw new Error(`no stactus histories under ${fixtures} (set UPCAUSE_FIXTURES)`);
  const stactus = createStactus(fixtures);

  const names = new Set<string>();
  for (const r of recipes) {
    if (names.has(r.name)) throw new Error(`duplicate scenario name ${r.name}`);
    if (!(scenarioClasses as readonly string[]).includes(r.class))
      throw new Error(`${r.name}: unknown class ${r.class}`);
    names.add(r.name);
  }
  const generatedFiles = new Set([...names].map((n) => `${n}.json`));
  const used = legacyIds(generatedFiles);

  const prettier = (await resolveConfig(path.join(outDir, 'x.json'))) ?? {};
  let differ = 0;
  let written = 0;
  const index: IndexRow[] = [];
  const selected: Recipe[] = recipes.filter((r) => !filter || r.name.includes(filter));
  for (const recipe of recipes) {
    const b = new Builder(recipe.name, recipe.class, stactus);
    recipe.build(b);
    const data = b.build();
    // One real incident backs one scenario only.
    for (const s of b.sources) {
      const previous = used.get(s.id);
      if (previous && previous !== `${recipe.name}.json`)
        throw new Error(`${recipe.name}: ${s.page}/${s.id} is already used by ${previous}`);
      used.set(s.id, `${recipe.name}.json`);
    }
    index.push({
      name: recipe.name,
      cls: recipe.class,
      expect: Object.values(data.expect as Record<string, string>),
      source: b.sources.map((s) => `${s.page} \`${s.id}\` (${s.how})`).join('; '),
      generated: true,
    });
    if (!selected.includes(recipe)) continue;
    const file = path.join(outDir, `${recipe.name}.json`);
    const text = await format(JSON.stringify(data, null, 2), { ...prettier, parser: 'json' });
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (current === text) continue;
    if (check) {
      differ++;
      console.error(`differs from its recipe: ${path.relative(repoRoot, file)}`);
    } else {
      writeFileSync(file, text);
      written++;
    }
  }
  const indexFile = path.join(outDir, 'INDEX.md');
  const indexText = await format(indexOf([...index, ...legacyRows(generatedFiles)]), {
    ...prettier,
    parser: 'markdown',
  });
  if (!existsSync(indexFile) || readFileSync(indexFile, 'utf8') !== indexText) {
    if (check) {
      differ++;
      console.error('differs from its recipes: test/scenarios/INDEX.md');
    } else if (!filter) writeFileSync(indexFile, indexText);
  }
  const byClass = new Map<string, number>();
  for (const r of recipes) byClass.set(r.class, (byClass.get(r.class) ?? 0) + 1);
  console.log(
    `${recipes.length} generated scenarios (${[...byClass].map(([c, n]) => `${c} ${n}`).join(', ')}); ${check ? `${differ} differ` : `${written} written`}`,
  );
  if (check && differ > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
