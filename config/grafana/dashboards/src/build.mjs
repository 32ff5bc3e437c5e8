#!/usr/bin/env node
// @ts-check
/**
 * Writes every Metronome dashboard to config/grafana/dashboards/<uid>.json, the folder Grafana's file provider
 * loads. The modules next to this file are the single source of truth; the JSON is committed so the stack needs no
 * build step, and `--check` (run by test/stack/dashboards.test.ts) fails when the JSON and the source disagree.
 *
 *   node config/grafana/dashboards/src/build.mjs           regenerate
 *   node config/grafana/dashboards/src/build.mjs --check   exit 1 on drift, changing nothing
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import commands from './commands.mjs';
import database from './database.mjs';
import discord from './discord.mjs';
import logs from './logs.mjs';
import music from './music.mjs';
import overview from './overview.mjs';
import runtime from './runtime.mjs';
import slo from './slo.mjs';

export const dashboards = [overview, commands, music, discord, database, runtime, logs, slo];

/** The file contents each dashboard is committed as, by file name. */
export function renderDashboards() {
  return new Map(dashboards.map((dashboard) => [`${dashboard.uid}.json`, `${JSON.stringify(dashboard, null, 2)}\n`]));
}

function main() {
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const check = process.argv.includes('--check');
  const rendered = renderDashboards();
  const existing = readdirSync(outDir).filter((name) => name.endsWith('.json'));
  const problems = [];
  for (const [name, content] of rendered) {
    const path = join(outDir, name);
    let current;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) problems.push(current === undefined ? `${name} is missing` : `${name} differs from its source`);
    else writeFileSync(path, content);
  }
  for (const name of existing.filter((file) => !rendered.has(file))) {
    if (check) problems.push(`${name} has no source`);
    else rmSync(join(outDir, name));
  }
  if (problems.length > 0) {
    console.error(
      `Dashboards out of date (run node config/grafana/dashboards/src/build.mjs):\n  ${problems.join('\n  ')}`,
    );
    process.exitCode = 1;
  } else if (check) {
    console.log(`${rendered.size} dashboards match their source`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
