#!/usr/bin/env node
/*
 * A native-solc command line over the npm `solc` (solcjs) package.
 *
 * py-solc-x, brownie, slither (crytic-compile) and our own compiler call a
 * native `solc` binary. None can be downloaded on an offline machine, so this
 * script answers the parts of the native CLI they use:
 *
 *   --version                     "Version: X.Y.Z+commit.HASH..." like native solc
 *   --standard-json               standard JSON on stdin, standard JSON on stdout
 *   --combined-json a,b,c FILES   combined JSON (FILES may be "-" for stdin)
 *   --base-path P  --include-path P (repeatable)  --allow-paths P1,P2
 *   prefix=path                   import remappings
 *   --optimize --optimize-runs N --evm-version V --via-ir
 *
 * Paths given by --base-path, --include-path and --allow-paths are import
 * roots for the import callback. Output is written with a completion callback
 * and the process exits through its exit code, so large outputs are never cut
 * at the pipe buffer size.
 *
 * The solc module is found through IPLEDGER_SOLCJS_MODULE (the setup writes it
 * into the registered wrapper) or through normal node resolution.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const solc = require(process.env.IPLEDGER_SOLCJS_MODULE || 'solc');

function fail(message, code = 1) {
  process.stderr.write(`Error: ${message}\n`);
  process.exitCode = code;
}

function emit(text, code = 0) {
  process.exitCode = code;
  process.stdout.write(text);
}

function readStdin() {
  return fs.readFileSync(0, 'utf8');
}

function parseArgs(argv) {
  const opts = {
    version: false, help: false, standardJson: false, combined: null,
    roots: [], remappings: [], files: [], optimize: false, runs: 200,
    evmVersion: null, viaIR: false,
  };
  const takesValue = new Set([
    '--base-path', '--include-path', '--allow-paths', '--combined-json',
    '--optimize-runs', '--evm-version', '-o', '--output-dir', '--libraries',
  ]);
  for (let i = 0; i < argv.length; i += 1) {
    let arg = argv[i];
    let value = null;
    if (arg.startsWith('--') && arg.includes('=')) {
      [arg, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    } else if (takesValue.has(arg)) {
      value = argv[i + 1];
      i += 1;
    }
    switch (arg) {
      case '--version': case '-v': opts.version = true; break;
      case '--help': case '-h': opts.help = true; break;
      case '--standard-json': opts.standardJson = true; break;
      case '--combined-json': opts.combined = value.split(',').filter(Boolean); break;
      case '--base-path': case '--include-path': opts.roots.push(value); break;
      case '--allow-paths': opts.roots.push(...value.split(',').filter(Boolean)); break;
      case '--optimize': opts.optimize = true; break;
      case '--optimize-runs': opts.runs = Number(value); break;
      case '--evm-version': opts.evmVersion = value; break;
      case '--via-ir': opts.viaIR = true; break;
      case '--no-color': case '--color': case '--overwrite': case '--pretty-json':
      case '-o': case '--output-dir': case '--libraries': break;
      default:
        if (arg === '-') opts.files.push('-');
        else if (arg.startsWith('-')) process.stderr.write(`Warning: option ${arg} ignored by the solcjs shim\n`);
        else if (arg.includes('=') && !fs.existsSync(arg)) opts.remappings.push(arg);
        else opts.files.push(arg);
    }
  }
  return opts;
}

function importCallback(roots) {
  const bases = [process.cwd(), ...roots.map((r) => path.resolve(r))];
  return (importPath) => {
    const candidates = path.isAbsolute(importPath) ? [importPath] : bases.map((b) => path.join(b, importPath));
    for (const candidate of candidates) {
      try {
        return { contents: fs.readFileSync(candidate, 'utf8') };
      } catch (err) {
        // try the next root
      }
    }
    return { error: `File not found: ${importPath} (searched ${bases.join(', ')})` };
  };
}

function compileStandard(input, roots) {
  return solc.compile(input, { import: importCallback(roots) });
}

function combinedJson(opts) {
  const sources = {};
  for (const file of opts.files) {
    if (file === '-') sources['<stdin>'] = { content: readStdin() };
    else sources[file] = { content: fs.readFileSync(file, 'utf8') };
  }
  const wanted = new Set(opts.combined);
  const selection = ['abi', 'metadata', 'evm.bytecode.object', 'evm.deployedBytecode.object',
    'evm.bytecode.sourceMap', 'evm.deployedBytecode.sourceMap', 'evm.methodIdentifiers',
    'userdoc', 'devdoc', 'storageLayout'];
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: opts.optimize, runs: opts.runs },
      remappings: opts.remappings,
      outputSelection: { '*': { '*': selection, '': ['ast'] } },
    },
  };
  if (opts.evmVersion) input.settings.evmVersion = opts.evmVersion;
  if (opts.viaIR) input.settings.viaIR = true;
  const out = JSON.parse(compileStandard(JSON.stringify(input), opts.roots));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  for (const e of out.errors || []) process.stderr.write(`${e.formattedMessage || e.message}\n`);
  if (errors.length) return { code: 1, text: '' };

  const result = { contracts: {}, sourceList: Object.keys(out.sources || {}), version: solc.version() };
  if (wanted.has('ast')) {
    result.sources = {};
    for (const [name, src] of Object.entries(out.sources || {})) result.sources[name] = { AST: src.ast };
  }
  for (const [file, contracts] of Object.entries(out.contracts || {})) {
    for (const [name, c] of Object.entries(contracts)) {
      const entry = {};
      const evm = c.evm || {};
      const fields = {
        abi: () => c.abi,
        bin: () => evm.bytecode && evm.bytecode.object,
        'bin-runtime': () => evm.deployedBytecode && evm.deployedBytecode.object,
        srcmap: () => evm.bytecode && evm.bytecode.sourceMap,
        'srcmap-runtime': () => evm.deployedBytecode && evm.deployedBytecode.sourceMap,
        hashes: () => evm.methodIdentifiers,
        userdoc: () => c.userdoc,
        devdoc: () => c.devdoc,
        metadata: () => c.metadata,
        'storage-layout': () => c.storageLayout,
      };
      for (const field of wanted) if (fields[field]) entry[field] = fields[field]();
      result.contracts[`${file}:${name}`] = entry;
    }
  }
  return { code: 0, text: `${JSON.stringify(result)}\n` };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.version) {
    emit(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
    return;
  }
  if (opts.help) {
    emit('solcjs shim: --version | --standard-json | --combined-json FIELDS FILES\n');
    return;
  }
  if (opts.standardJson) {
    emit(`${compileStandard(readStdin(), opts.roots)}\n`);
    return;
  }
  if (opts.combined) {
    if (!opts.files.length) {
      fail('--combined-json needs source files or "-" for stdin');
      return;
    }
    const { code, text } = combinedJson(opts);
    emit(text, code);
    return;
  }
  fail('the solcjs shim supports --version, --standard-json and --combined-json only', 2);
}

try {
  main();
} catch (err) {
  fail(err && err.message ? err.message : String(err));
}
