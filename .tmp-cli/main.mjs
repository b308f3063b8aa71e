var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/core/errors.ts
function isSluiceError(error) {
  return error instanceof SluiceError;
}
var SluiceError;
var init_errors = __esm({
  "src/core/errors.ts"() {
    "use strict";
    SluiceError = class extends Error {
      code;
      data;
      kind;
      constructor(code, message, data = {}, options = {}) {
        super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
        this.name = new.target.name;
        this.code = code;
        this.data = Object.freeze({ ...data });
        this.kind = options.kind ?? "input";
      }
    };
  }
});

// src/runtime/settings.ts
import { resolve } from "node:path";
function invalid(name, value, what) {
  return new SluiceError("INVALID_SETTING", `${name}="${value}" is invalid: ${what}`, { name });
}
function positiveInt(env, name, fallback) {
  const raw = env[name];
  if (raw === void 0 || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalid(name, raw, "expected a whole number >= 1");
  return n;
}
function parsePools(raw, name = "SLUICE_POOLS") {
  const out = {};
  for (const part of (raw ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_.-]+)=(\d+)$/.exec(part);
    if (!m || Number(m[2]) < 1) throw invalid(name, raw, `"${part}" should be pool=limit, e.g. dbt=1`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}
function parseTagLimits(raw, name = "SLUICE_TAG_CONCURRENCY") {
  return (raw ?? "").split(",").map((p) => p.trim()).filter(Boolean).map((part) => {
    const m = /^([A-Za-z0-9_.\/-]+)(?:=([^:]+))?:(\d+)$/.exec(part);
    if (!m || Number(m[3]) < 1) throw invalid(name, raw, `"${part}" should be key=value:limit or key:limit, e.g. pipeline=promotion:1`);
    return { key: m[1], ...m[2] !== void 0 ? { value: m[2] } : {}, limit: Number(m[3]) };
  });
}
function readSettings(env, flags) {
  const projectDir = resolve(flags.cwd, flags.project ?? env.SLUICE_PROJECT ?? ".");
  const logLevel = (env.SLUICE_LOG_LEVEL ?? "info").toLowerCase();
  if (!LEVELS.includes(logLevel)) {
    throw new SluiceError("INVALID_SETTING", `SLUICE_LOG_LEVEL="${env.SLUICE_LOG_LEVEL}" is not one of ${LEVELS.join(", ")}`, {
      name: "SLUICE_LOG_LEVEL"
    });
  }
  const schema = env.SLUICE_DATABASE_SCHEMA ?? "sluice";
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new SluiceError("INVALID_SETTING", `SLUICE_DATABASE_SCHEMA="${schema}" must be a lowercase SQL identifier`, {
      name: "SLUICE_DATABASE_SCHEMA"
    });
  }
  const prefix = env.SLUICE_REDIS_PREFIX || "{sluice}";
  if (prefix.includes(":")) throw invalid("SLUICE_REDIS_PREFIX", prefix, 'it must not contain ":"');
  const maxConcurrentRuns = positiveInt(env, "SLUICE_MAX_CONCURRENT_RUNS", void 0);
  return {
    projectDir,
    databaseUrl: env.SLUICE_DATABASE_URL || void 0,
    databaseSchema: schema,
    logLevel,
    redisUrl: env.SLUICE_REDIS_URL || void 0,
    redisPrefix: prefix,
    limits: { ...maxConcurrentRuns !== void 0 ? { maxConcurrentRuns } : {}, tagLimits: parseTagLimits(env.SLUICE_TAG_CONCURRENCY) },
    pools: parsePools(env.SLUICE_POOLS),
    lockDurationMs: positiveInt(env, "SLUICE_LOCK_DURATION_MS", 3e4),
    workerTimeoutMs: positiveInt(env, "SLUICE_WORKER_TIMEOUT_MS", 15e3),
    monitorIntervalMs: positiveInt(env, "SLUICE_MONITOR_INTERVAL_MS", 3e3),
    // Resources read SLUICE_PROJECT to find project-relative state (the embedded warehouse).
    env: { ...env, SLUICE_PROJECT: projectDir }
  };
}
var LEVELS;
var init_settings = __esm({
  "src/runtime/settings.ts"() {
    "use strict";
    init_errors();
    LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
  }
});

// src/cli/cli-context.ts
function settingsFor(cmd) {
  const opts = cmd.optsWithGlobals();
  return readSettings(process.env, { project: opts.project, cwd: process.cwd() });
}
function reportError(error) {
  if (isSluiceError(error)) {
    process.stderr.write(`error: ${error.message}
`);
    return error.kind === "input" ? EXIT.badInput : EXIT.failed;
  }
  const err = error;
  process.stderr.write(`error: ${err?.stack ?? String(error)}
`);
  return EXIT.failed;
}
function printJson(value) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}
`);
}
function parsePositiveInt(value, flag) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new SluiceError("INVALID_FLAG", `${flag} must be a whole number >= 1 (got "${value}")`, { flag, value });
  }
  return n;
}
function collectTag(value, previous = {}) {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new SluiceError("INVALID_FLAG", `--tag takes key=value (got "${value}")`, { flag: "--tag", value });
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}
var EXIT;
var init_cli_context = __esm({
  "src/cli/cli-context.ts"() {
    "use strict";
    init_errors();
    init_settings();
    EXIT = { ok: 0, failed: 1, badInput: 2, canceled: 130 };
  }
});

// src/core/selection/selection-ast.ts
function allNode() {
  return ALL;
}
function attributeNode(attribute, value) {
  return Object.freeze({ type: "attribute", attribute, value });
}
function tagNode(key, value) {
  return Object.freeze({ type: "tag", key, value });
}
function statusNode(status) {
  return Object.freeze({ type: "status", status });
}
function notNode(operand) {
  return Object.freeze({ type: "not", operand });
}
function andNode(left, right) {
  return Object.freeze({ type: "and", left, right });
}
function orNode(left, right) {
  return Object.freeze({ type: "or", left, right });
}
function traversalNode(operand, upstream, downstream) {
  if (upstream === 0 && downstream === 0) return operand;
  return Object.freeze({ type: "traversal", operand, upstream, downstream });
}
function functionNode(name, operand) {
  return Object.freeze({ type: "function", name, operand });
}
var SELECTION_ATTRIBUTES, SELECTION_STATUSES, SELECTION_FUNCTIONS, ALL;
var init_selection_ast = __esm({
  "src/core/selection/selection-ast.ts"() {
    "use strict";
    SELECTION_ATTRIBUTES = Object.freeze(["key", "group", "tag", "kind", "owner", "status"]);
    SELECTION_STATUSES = Object.freeze(["fresh", "stale", "failed", "missing"]);
    SELECTION_FUNCTIONS = Object.freeze(["roots", "sinks"]);
    ALL = Object.freeze({ type: "all" });
  }
});

// src/core/suggest.ts
function editDistance(a, b) {
  if (a === b) return 0;
  const rows = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}
function suggest(input, candidates, max = 3) {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  const scored = [];
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    const lastSegment = hay.slice(hay.lastIndexOf("/") + 1);
    const distance = Math.min(editDistance(needle, hay), editDistance(needle, lastSegment));
    if (distance <= limit) scored.push({ candidate, score: distance });
    else if (needle.length >= 3 && hay.includes(needle)) scored.push({ candidate, score: limit + 1 });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, max).map((s) => s.candidate);
}
function didYouMean(suggestions, format = (s) => `"${s}"`) {
  if (suggestions.length === 0) return "";
  const items = suggestions.map(format);
  const list = items.length === 1 ? items[0] : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
  return ` (did you mean ${list}?)`;
}
var init_suggest = __esm({
  "src/core/suggest.ts"() {
    "use strict";
  }
});

// src/core/selection/selection-errors.ts
function pointAt(input, position) {
  const shown = input.replace(/[\t\r\n]/g, " ");
  return `  ${shown}
  ${" ".repeat(position)}^`;
}
var SelectionSyntaxError, UnknownAttributeError, NOUN, UnknownSelectionError, SelectionNeedsStatusError;
var init_selection_errors = __esm({
  "src/core/selection/selection-errors.ts"() {
    "use strict";
    init_errors();
    init_suggest();
    SelectionSyntaxError = class extends SluiceError {
      position;
      input;
      constructor(input, position, problem, data = {}) {
        super("SELECTION_SYNTAX", `invalid selection: ${problem}
${pointAt(input, position)}`, { ...data, input, position, problem });
        this.input = input;
        this.position = position;
      }
    };
    UnknownAttributeError = class extends SelectionSyntaxError {
      attribute;
      value;
      suggestions;
      constructor(input, position, attribute, value, suggestions) {
        const hint = suggestions.length > 0 ? `did you mean ${suggestions.length === 1 ? suggestions[0] : `${suggestions.slice(0, -1).join(", ")} or ${suggestions[suggestions.length - 1]}`}?` : "use key:, group:, tag:, kind:, owner: or status:";
        super(input, position, `unknown attribute '${attribute}'; ${hint}`, { attribute, value, suggestions });
        this.attribute = attribute;
        this.value = value;
        this.suggestions = Object.freeze([...suggestions]);
      }
    };
    NOUN = { key: "asset", group: "group", tag: "tag", kind: "kind", owner: "owner", status: "status" };
    UnknownSelectionError = class extends SluiceError {
      attribute;
      value;
      suggestions;
      constructor(attribute, value, suggestions) {
        super("UNKNOWN_SELECTION", `unknown ${NOUN[attribute]} "${value}" in --select${didYouMean(suggestions)}`, {
          attribute,
          value,
          suggestions
        });
        this.attribute = attribute;
        this.value = value;
        this.suggestions = Object.freeze([...suggestions]);
      }
    };
    SelectionNeedsStatusError = class extends SluiceError {
      constructor(clause) {
        super(
          "SELECTION_NEEDS_STATUS",
          `${clause} needs asset statuses from the run store, and this selection was resolved without them; select without status: here (code resolving it: fetch statuses when usesStatus(node) and pass { statusOf } to resolveSelection)`,
          { clause }
        );
      }
    };
  }
});

// src/core/selection/format-selection.ts
function formatValue(value) {
  return UNQUOTED.test(value) ? value : `"${value.replace(/[\\"]/g, "\\$&")}"`;
}
var UNQUOTED;
var init_format_selection = __esm({
  "src/core/selection/format-selection.ts"() {
    "use strict";
    UNQUOTED = /^[A-Za-z0-9_\-./*]+$/;
  }
});

// src/core/selection/legacy-selection.ts
function depth(marks) {
  if (marks === void 0) return 0;
  return marks === "*" ? "all" : marks.length;
}
function parseLegacySelection(text) {
  let result;
  for (const raw of text.split(",")) {
    const clause = raw.trim();
    let node;
    if (clause === "*") {
      node = allNode();
    } else {
      const match = CLAUSE.exec(clause);
      if (!match || KEYWORDS.has(match[2].toLowerCase())) return void 0;
      node = traversalNode(attributeNode("key", match[2]), depth(match[1]), depth(match[3]));
    }
    result = result === void 0 ? node : orNode(result, node);
  }
  return result;
}
var CLAUSE, KEYWORDS;
var init_legacy_selection = __esm({
  "src/core/selection/legacy-selection.ts"() {
    "use strict";
    init_selection_ast();
    CLAUSE = /^(\*|\++)?([A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*)(\*|\++)?$/;
    KEYWORDS = /* @__PURE__ */ new Set(["and", "or", "not"]);
  }
});

// src/core/selection/tokenizer.ts
function quotedExample(text, at) {
  let start = at;
  while (start > 0 && !BOUNDARY.test(text[start - 1])) start--;
  let end = at;
  while (end < text.length && !BOUNDARY.test(text[end])) end++;
  const clause = text.slice(start, end);
  const colon = clause.indexOf(":");
  const value = colon >= 0 ? clause.slice(colon + 1) : clause;
  const quoted = `"${value.replace(/^"|"$/g, "")}"`;
  return colon >= 0 ? `${clause.slice(0, colon + 1)}${quoted}` : quoted;
}
function tokenize(text) {
  const tokens = [];
  let i = 0;
  let spaced = false;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      spaced = true;
      continue;
    }
    const start = i;
    const punctuation = PUNCTUATION[c];
    if (punctuation) {
      tokens.push({ type: punctuation, value: c, start, end: i + 1, spaced });
      i++;
    } else if (WORD_CHAR.test(c)) {
      while (i < text.length && WORD_CHAR.test(text[i])) i++;
      tokens.push({ type: "word", value: text.slice(start, i), start, end: i, spaced });
    } else if (c === '"') {
      let value = "";
      i++;
      for (; ; ) {
        if (i >= text.length) throw new SelectionSyntaxError(text, start, `unterminated quoted value; expected a closing '"'`);
        const d = text[i];
        if (d === '"') break;
        if (d === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) {
          value += text[i + 1];
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
      tokens.push({ type: "string", value, start, end: i, spaced });
    } else if (c === "@") {
      throw new SelectionSyntaxError(text, i, `unexpected '@'; quote values that contain '@', e.g. ${quotedExample(text, i)}`);
    } else if (c === "'") {
      throw new SelectionSyntaxError(text, i, `unexpected "'"; quote values with double quotes, e.g. key:"raw/entries"`);
    } else {
      throw new SelectionSyntaxError(
        text,
        i,
        `unexpected '${c}'; expected an asset key, an attribute (key:, group:, tag:, kind:, owner:, status:), a "quoted value", '(', ')' or '+'`
      );
    }
    spaced = false;
  }
  tokens.push({ type: "eof", value: "", start: text.length, end: text.length, spaced });
  return tokens;
}
var WORD_CHAR, PUNCTUATION, BOUNDARY;
var init_tokenizer = __esm({
  "src/core/selection/tokenizer.ts"() {
    "use strict";
    init_selection_errors();
    WORD_CHAR = /[A-Za-z0-9_\-./*]/;
    PUNCTUATION = { ":": "colon", "=": "equals", "+": "plus", "(": "lparen", ")": "rparen", ",": "comma" };
    BOUNDARY = /[\s(),]/;
  }
});

// src/core/selection/parse-selection.ts
function describe(token) {
  if (token.type === "eof") return "the end of the selection";
  return token.type === "string" ? `"${token.value}"` : `'${token.value}'`;
}
function isKeyword(token, keyword) {
  return token.type === "word" && token.value.toLowerCase() === keyword;
}
function isAttribute(name) {
  return SELECTION_ATTRIBUTES.includes(name);
}
function isStatus(value) {
  return SELECTION_STATUSES.includes(value);
}
function isFunction(name) {
  return SELECTION_FUNCTIONS.includes(name);
}
function parseSelection(text) {
  return parseLegacySelection(text) ?? new Parser(text, tokenize(text)).parse();
}
var EXAMPLES, DIGITS, Parser;
var init_parse_selection = __esm({
  "src/core/selection/parse-selection.ts"() {
    "use strict";
    init_suggest();
    init_format_selection();
    init_legacy_selection();
    init_selection_ast();
    init_selection_errors();
    init_tokenizer();
    EXAMPLES = {
      key: "key:raw/entries",
      group: "group:finance",
      tag: "tag:priority=high",
      kind: "kind:dbt",
      owner: 'owner:"team@x.com"',
      status: "status:stale"
    };
    DIGITS = /^[0-9]+$/;
    Parser = class {
      constructor(text, tokens) {
        this.text = text;
        this.tokens = tokens;
      }
      text;
      tokens;
      index = 0;
      parse() {
        const node = this.parseOr();
        this.expectEnd(this.peek(), false);
        return node;
      }
      peek(offset2 = 0) {
        return this.tokens[Math.min(this.index + offset2, this.tokens.length - 1)];
      }
      next() {
        const token = this.peek();
        if (this.index < this.tokens.length - 1) this.index++;
        return token;
      }
      fail(token, problem) {
        throw new SelectionSyntaxError(this.text, token.start, problem, { found: token.type === "eof" ? null : token.value });
      }
      expectEnd(token, inParens) {
        if (token.type === "eof" && !inParens) return;
        if (token.type === "rparen" && inParens) return;
        const expected = `expected 'and', 'or'${inParens ? " or ')'" : " or the end of the selection"}`;
        if (token.type === "comma") this.fail(token, `${expected}, found ','; commas join clauses only in the legacy form (a,b*); use 'or' here`);
        if (token.type === "equals") this.fail(token, `${expected}, found '='; '=' only follows a tag name, with no spaces around it (tag:priority=high)`);
        if (token.type === "rparen") this.fail(token, `${expected}, found ')' with no '(' to close`);
        this.fail(token, `${expected}, found ${describe(token)}`);
      }
      parseOr() {
        let left = this.parseAnd();
        while (isKeyword(this.peek(), "or")) {
          this.next();
          left = orNode(left, this.parseAnd());
        }
        return left;
      }
      parseAnd() {
        let left = this.parseNot();
        while (isKeyword(this.peek(), "and")) {
          this.next();
          left = andNode(left, this.parseNot());
        }
        return left;
      }
      parseNot() {
        if (isKeyword(this.peek(), "not")) {
          this.next();
          return notNode(this.parseNot());
        }
        return this.parseTraversal();
      }
      /** True when `token` can begin a primary, so `2+` before it is a depth rather than a key named `2`. */
      startsPrimary(token) {
        if (token.type === "string" || token.type === "lparen") return true;
        return token.type === "word" && !isKeyword(token, "and") && !isKeyword(token, "or") && !isKeyword(token, "not");
      }
      depth(token) {
        const value = Number(token.value);
        if (!Number.isSafeInteger(value)) this.fail(token, `expected a layer count, found ${describe(token)}, which is too large`);
        return value;
      }
      parseTraversal() {
        let upstream = 0;
        const first = this.peek();
        const plus = this.peek(1);
        if (first.type === "word" && DIGITS.test(first.value) && plus.type === "plus" && !plus.spaced && this.startsPrimary(this.peek(2))) {
          upstream = this.depth(first);
          this.next();
          this.next();
        } else if (first.type === "plus") {
          upstream = "all";
          this.next();
        }
        const operand = this.parsePrimary();
        let downstream = 0;
        if (this.peek().type === "plus") {
          this.next();
          const count = this.peek();
          if (count.type === "word" && DIGITS.test(count.value) && !count.spaced) {
            downstream = this.depth(count);
            this.next();
          } else {
            downstream = "all";
          }
        }
        return traversalNode(operand, upstream, downstream);
      }
      expectExpression(token) {
        const previous = this.index > 0 ? this.tokens[this.index - 1] : void 0;
        const after = previous && previous !== token ? ` after ${describe(previous)}` : "";
        let hint = "";
        if (token.type === "plus") hint = "; a layer count goes before '+' (2+key:a) or after it (key:a+2)";
        if (token.type === "comma") hint = "; commas join clauses only in the legacy form (a,b*); use 'or' here";
        this.fail(token, `expected an expression${after} (an asset key, key:, group:, tag:, kind:, owner:, status:, '*', roots(...), sinks(...) or '('), found ${describe(token)}${hint}`);
      }
      parsePrimary() {
        const token = this.peek();
        if (token.type === "lparen") {
          this.next();
          const inner = this.parseOr();
          const close = this.peek();
          if (close.type !== "rparen") {
            if (close.type === "eof") this.fail(close, `expected ')' to close the '(' at position ${token.start}, found the end of the selection`);
            this.expectEnd(close, true);
          }
          this.next();
          return inner;
        }
        if (token.type === "string") {
          this.next();
          return this.bareKey(token);
        }
        if (token.type !== "word" || isKeyword(token, "and") || isKeyword(token, "or") || isKeyword(token, "not")) {
          this.expectExpression(token);
        }
        this.next();
        const following = this.peek();
        if (following.type === "colon" && !following.spaced) return this.parseAttribute(token);
        const name = token.value.toLowerCase();
        if (following.type === "lparen" && (isFunction(name) || !following.spaced)) return this.parseFunction(token);
        if (token.value === "*") return allNode();
        return this.bareKey(token);
      }
      bareKey(token) {
        if (token.value.includes("*")) {
          const name = token.value.replace(/^\*+|\*+$/g, "") || "name";
          this.fail(
            token,
            `a bare name cannot hold '*' here; write key:${formatValue(token.value)} for a wildcard, or +key:${formatValue(name)} / key:${formatValue(name)}+ for everything upstream / downstream ('*name' and 'name*' are legacy forms, which cannot be mixed with attributes, keywords or parentheses)`
          );
        }
        return attributeNode("key", token.value);
      }
      /** The value right after `:` or `=`, quoted or not. */
      value(after, example) {
        const token = this.peek();
        if ((token.type === "word" || token.type === "string") && !token.spaced) {
          this.next();
          return token;
        }
        return this.fail(token, `expected a value right after '${after.value}' (e.g. ${example}), found ${describe(token)}`);
      }
      parseAttribute(nameToken) {
        const colon = this.next();
        const name = nameToken.value.toLowerCase();
        if (!isAttribute(name)) {
          const valueToken2 = this.peek();
          const value2 = (valueToken2.type === "word" || valueToken2.type === "string") && !valueToken2.spaced ? valueToken2.value : "";
          const limit = name.length <= 4 ? 1 : 2;
          const suggestions = SELECTION_ATTRIBUTES.filter((attribute) => editDistance(name, attribute) <= limit).map(
            (attribute) => `${attribute}:${formatValue(value2)}`
          );
          throw new UnknownAttributeError(this.text, nameToken.start, nameToken.value, value2, suggestions);
        }
        const valueToken = this.value({ ...colon, value: `${name}:` }, EXAMPLES[name]);
        const value = valueToken.value;
        if (name === "status") return this.status(valueToken);
        if (name !== "tag") return attributeNode(name, value);
        const equals = this.peek();
        if (equals.type !== "equals" || equals.spaced) return tagNode(value, void 0);
        this.next();
        return tagNode(value, this.value(equals, `tag:${formatValue(value)}=high`).value);
      }
      /** `status:` takes one of four words (any case), no wildcards: statuses are a closed set. */
      status(token) {
        const status = token.value.toLowerCase();
        if (isStatus(status)) return statusNode(status);
        const close = suggest(status, SELECTION_STATUSES);
        const hint = close.length > 0 ? ` (did you mean status:${close[0]}?)` : "";
        return this.fail(token, `unknown status ${describe(token)}${hint}; status: takes ${SELECTION_STATUSES.join(", ")}`);
      }
      parseFunction(nameToken) {
        const name = nameToken.value.toLowerCase();
        if (!isFunction(name)) {
          const close2 = suggest(name, SELECTION_FUNCTIONS);
          const hint = close2.length > 0 ? `did you mean ${close2.map((f) => `${f}(...)`).join(" or ")}?` : "use roots(...) or sinks(...)";
          this.fail(nameToken, `unknown function '${nameToken.value}'; ${hint}`);
        }
        const open = this.next();
        const operand = this.parseOr();
        const close = this.peek();
        if (close.type !== "rparen") {
          if (close.type === "eof") this.fail(close, `expected ')' to close ${name}( at position ${open.start}, found the end of the selection`);
          this.expectEnd(close, true);
        }
        this.next();
        return functionNode(name, operand);
      }
    };
  }
});

// src/core/selection/wildcard.ts
function hasWildcard(pattern) {
  return pattern.includes("*");
}
function wildcardMatcher(pattern) {
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  const source = pattern.split("*").map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, "\\$&")).join(".*");
  const regex = new RegExp(`^${source}$`, "s");
  return (value) => regex.test(value);
}
var init_wildcard = __esm({
  "src/core/selection/wildcard.ts"() {
    "use strict";
  }
});

// src/core/selection/resolve-selection.ts
function valuesOf(asset, attribute) {
  switch (attribute) {
    case "key":
      return [asset.key];
    case "group":
      return [asset.group];
    case "kind":
      return asset.kinds;
    case "owner":
      return asset.owners;
  }
}
function distinct(graph, values) {
  const all = /* @__PURE__ */ new Set();
  for (const key of graph.keys()) for (const value of values(graph.get(key))) all.add(value);
  return [...all].sort();
}
function resolveAttribute(node, graph) {
  if (node.attribute === "key" && !hasWildcard(node.value)) {
    if (graph.has(node.value)) return /* @__PURE__ */ new Set([node.value]);
    throw new UnknownSelectionError("key", node.value, suggest(node.value, graph.keys()));
  }
  const matches = wildcardMatcher(node.value);
  const selected = new Set(graph.keys().filter((key) => valuesOf(graph.get(key), node.attribute).some(matches)));
  if (selected.size === 0 && !hasWildcard(node.value)) {
    throw new UnknownSelectionError(node.attribute, node.value, suggest(node.value, distinct(graph, (a) => valuesOf(a, node.attribute))));
  }
  return selected;
}
function resolveTag(node, graph) {
  const keyMatches = wildcardMatcher(node.key);
  const valueMatches = node.value === void 0 ? () => true : wildcardMatcher(node.value);
  const selected = new Set(
    graph.keys().filter((key) => Object.entries(graph.get(key).tags).some(([k, v]) => keyMatches(k) && valueMatches(v)))
  );
  if (selected.size > 0 || hasWildcard(node.key) || node.value !== void 0 && hasWildcard(node.value)) return selected;
  const tagKeys = distinct(graph, (asset) => Object.keys(asset.tags));
  if (node.value === void 0 || !tagKeys.includes(node.key)) {
    throw new UnknownSelectionError("tag", node.key, suggest(node.key, tagKeys));
  }
  const pairs = distinct(graph, (asset) => Object.entries(asset.tags).filter(([k]) => k === node.key).map(([k, v]) => `${k}=${v}`));
  throw new UnknownSelectionError("tag", `${node.key}=${node.value}`, suggest(`${node.key}=${node.value}`, pairs));
}
function resolveStatus(node, graph, context) {
  const statusOf = context.statusOf;
  if (!statusOf) throw new SelectionNeedsStatusError(`status:${node.status}`);
  return new Set(graph.keys().filter((key) => statusOf(key) === node.status));
}
function resolveSelection(node, graph, context = {}) {
  switch (node.type) {
    case "all":
      return new Set(graph.keys());
    case "attribute":
      return resolveAttribute(node, graph);
    case "tag":
      return resolveTag(node, graph);
    case "status":
      return resolveStatus(node, graph, context);
    case "not": {
      const excluded = resolveSelection(node.operand, graph, context);
      return new Set(graph.keys().filter((key) => !excluded.has(key)));
    }
    case "and": {
      const left = resolveSelection(node.left, graph, context);
      const right = resolveSelection(node.right, graph, context);
      return new Set([...left].filter((key) => right.has(key)));
    }
    case "or":
      return /* @__PURE__ */ new Set([...resolveSelection(node.left, graph, context), ...resolveSelection(node.right, graph, context)]);
    case "traversal": {
      const base = resolveSelection(node.operand, graph, context);
      const selected = new Set(base);
      if (node.upstream !== 0) for (const key of graph.upstream(base, node.upstream === "all" ? void 0 : node.upstream)) selected.add(key);
      if (node.downstream !== 0) {
        for (const key of graph.downstream(base, node.downstream === "all" ? void 0 : node.downstream)) selected.add(key);
      }
      return selected;
    }
    case "function": {
      const within = resolveSelection(node.operand, graph, context);
      return node.name === "roots" ? graph.roots(within) : graph.sinks(within);
    }
  }
}
var init_resolve_selection = __esm({
  "src/core/selection/resolve-selection.ts"() {
    "use strict";
    init_suggest();
    init_selection_errors();
    init_wildcard();
  }
});

// src/core/selection/uses-status.ts
function usesStatus(node) {
  switch (node.type) {
    case "status":
      return true;
    case "all":
    case "attribute":
    case "tag":
      return false;
    case "not":
    case "traversal":
    case "function":
      return usesStatus(node.operand);
    case "and":
    case "or":
      return usesStatus(node.left) || usesStatus(node.right);
  }
}
var init_uses_status = __esm({
  "src/core/selection/uses-status.ts"() {
    "use strict";
  }
});

// src/core/selection/select-assets.ts
function graphSuggestions(attribute, value, graph) {
  const keys = graph.keys();
  const groups = [...new Set(keys.map((key) => graph.get(key).group))];
  const out = suggest(attribute, groups).map((group) => `group:${formatValue(group)}`);
  const candidate = `${attribute}/${value}`;
  const matches = wildcardMatcher(candidate);
  if (value !== "" && keys.some(matches)) out.push(`key:${formatValue(candidate)}`);
  else if (keys.some((key) => key.startsWith(`${attribute}/`))) out.push(`key:${formatValue(`${attribute}/*`)}`);
  return out;
}
function selectAssets(text, graph, context = {}) {
  let node;
  try {
    node = parseSelection(text);
  } catch (error) {
    if (!(error instanceof UnknownAttributeError)) throw error;
    const suggestions = [.../* @__PURE__ */ new Set([...graphSuggestions(error.attribute, error.value, graph), ...error.suggestions])];
    throw new UnknownAttributeError(error.input, error.position, error.attribute, error.value, suggestions);
  }
  return resolveSelection(node, graph, context);
}
var init_select_assets = __esm({
  "src/core/selection/select-assets.ts"() {
    "use strict";
    init_suggest();
    init_format_selection();
    init_parse_selection();
    init_resolve_selection();
    init_selection_errors();
    init_wildcard();
  }
});

// src/core/selection/index.ts
var init_selection = __esm({
  "src/core/selection/index.ts"() {
    "use strict";
    init_selection_ast();
    init_selection_errors();
    init_parse_selection();
    init_resolve_selection();
    init_uses_status();
    init_select_assets();
    init_format_selection();
  }
});

// src/core/partitions/describe-partitions.ts
function describePartitions(def) {
  if (def.kind === "static") {
    const shown = def.keys.slice(0, SHOWN_KEYS).join(", ");
    const more = def.keys.length - SHOWN_KEYS;
    return `static: ${shown}${more > 0 ? ` and ${more} more` : ""}`;
  }
  const offset2 = def.endOffset === 0 ? "" : `, endOffset ${def.endOffset}`;
  return `${def.cadence} from ${def.start} (${def.timezone}${offset2})`;
}
function sameDefinition(a, b) {
  if (a === b) return true;
  if (a.kind === "static" || b.kind === "static") {
    return a.kind === "static" && b.kind === "static" && a.keys.length === b.keys.length && a.keys.every((k, i) => k === b.keys[i]);
  }
  return a.cadence === b.cadence && a.start === b.start && a.timezone === b.timezone && a.endOffset === b.endOffset;
}
var SHOWN_KEYS;
var init_describe_partitions = __esm({
  "src/core/partitions/describe-partitions.ts"() {
    "use strict";
    SHOWN_KEYS = 10;
  }
});

// src/core/partitions/partition-mapping.ts
function defaultPartitionMapping(downstream, upstream) {
  return downstream !== void 0 && upstream !== void 0 ? IDENTITY : ALL2;
}
function describePartitionMapping(mapping) {
  return mapping.kind === "time-window" ? `time-window (startOffset ${mapping.startOffset}, endOffset ${mapping.endOffset})` : mapping.kind;
}
var IDENTITY, ALL2;
var init_partition_mapping = __esm({
  "src/core/partitions/partition-mapping.ts"() {
    "use strict";
    init_errors();
    IDENTITY = Object.freeze({ kind: "identity" });
    ALL2 = Object.freeze({ kind: "all" });
  }
});

// src/core/graph/graph-errors.ts
var DuplicateAssetError, UnknownDependencyError, CycleError, DuplicateCheckError, UnknownCheckAssetError, PartitionMappingError;
var init_graph_errors = __esm({
  "src/core/graph/graph-errors.ts"() {
    "use strict";
    init_suggest();
    init_errors();
    DuplicateAssetError = class extends SluiceError {
      constructor(key, sources) {
        super("DUPLICATE_ASSET", `asset "${key}" is defined twice: in ${sources.join(" and in ")}; rename one of them`, {
          key,
          sources
        });
      }
    };
    UnknownDependencyError = class extends SluiceError {
      constructor(asset, dep, source, suggestions) {
        super(
          "UNKNOWN_DEPENDENCY",
          `asset "${asset}"${source ? ` (${source})` : ""} depends on unknown asset "${dep}"${didYouMean(suggestions)}`,
          { asset, dep, source, suggestions }
        );
      }
    };
    CycleError = class extends SluiceError {
      constructor(cycle) {
        super("DEPENDENCY_CYCLE", `the asset graph has a cycle: ${cycle.join(" -> ")}; remove one of these dependencies`, {
          cycle
        });
        this.cycle = cycle;
      }
      cycle;
    };
    DuplicateCheckError = class extends SluiceError {
      constructor(asset, name, sources) {
        super("DUPLICATE_CHECK", `check "${name}" on asset "${asset}" is defined twice: in ${sources.join(" and in ")}`, {
          asset,
          name,
          sources
        });
      }
    };
    UnknownCheckAssetError = class extends SluiceError {
      constructor(check, asset, source, suggestions) {
        super(
          "UNKNOWN_CHECK_ASSET",
          `check "${check}"${source ? ` (${source})` : ""} targets unknown asset "${asset}"${didYouMean(suggestions)}`,
          { check, asset, source, suggestions }
        );
      }
    };
    PartitionMappingError = class extends SluiceError {
      constructor(asset, upstream, source, reason, fix) {
        super(
          "INVALID_PARTITION_MAPPING",
          `asset "${asset}"${source ? ` (${source})` : ""} depends on "${upstream}" but ${reason}; ${fix}`,
          { asset, upstream, source, reason }
        );
      }
    };
  }
});

// src/core/graph/topo-sort.ts
function topoSort(nodes, parentsOf) {
  const state = /* @__PURE__ */ new Map();
  const order = [];
  const sorted = [...nodes].sort();
  for (const root of sorted) {
    if (state.has(root)) continue;
    const stack = [
      { node: root, parents: [...parentsOf(root)].sort(), next: 0 }
    ];
    state.set(root, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next < frame.parents.length) {
        const parent = frame.parents[frame.next++];
        const s = state.get(parent);
        if (s === 2) continue;
        if (s === 1) {
          const path = stack.map((f) => f.node);
          const cycle = path.slice(path.indexOf(parent));
          throw new CycleError([...cycle, parent].reverse());
        }
        state.set(parent, 1);
        stack.push({ node: parent, parents: [...parentsOf(parent)].sort(), next: 0 });
      } else {
        stack.pop();
        state.set(frame.node, 2);
        order.push(frame.node);
      }
    }
  }
  return order;
}
var init_topo_sort = __esm({
  "src/core/graph/topo-sort.ts"() {
    "use strict";
    init_graph_errors();
  }
});

// src/core/graph/asset-graph.ts
function assertMappable(asset, upstream, source) {
  const down = asset.partitions;
  const up = upstream.partitions;
  const explicit = asset.partitionMappings[upstream.key];
  const mapping = explicit ?? defaultPartitionMapping(down, up);
  if (mapping.kind === "all") return;
  const fail = (reason, fix) => new PartitionMappingError(asset.key, upstream.key, source, reason, fix);
  const mappingText = `the ${describePartitionMapping(mapping)} partition mapping`;
  if (down === void 0 || up === void 0) {
    const unpartitioned = [down === void 0 ? asset.key : void 0, up === void 0 ? upstream.key : void 0].filter(Boolean).join(" and ");
    throw fail(`${mappingText} needs both to be partitioned and ${unpartitioned} is not`, `remove partitionMappings["${upstream.key}"] or use allPartitionsMapping()`);
  }
  const both = `"${asset.key}" is ${describePartitions(down)} and "${upstream.key}" is ${describePartitions(up)}`;
  if (mapping.kind === "identity" && !sameDefinition(down, up)) {
    throw fail(
      `their partitions differ for ${explicit ? "the identity" : "the default (identity)"} partition mapping: ${both}`,
      `give both the same partitions, or set partitionMappings: { '${upstream.key}': timeWindowPartitionMapping({ ... }) } (time windows) or allPartitionsMapping()`
    );
  }
  if (mapping.kind === "time-window" && (down.kind !== "time-window" || up.kind !== "time-window" || down.cadence !== up.cadence)) {
    throw fail(`${mappingText} needs daily or hourly partitions of one cadence on both: ${both}`, `use allPartitionsMapping() or make the cadences match`);
  }
}
var AssetGraph;
var init_asset_graph = __esm({
  "src/core/graph/asset-graph.ts"() {
    "use strict";
    init_describe_partitions();
    init_partition_mapping();
    init_suggest();
    init_graph_errors();
    init_topo_sort();
    AssetGraph = class _AssetGraph {
      assetsByKey;
      childrenByKey;
      checksByAsset;
      sourcesByKey;
      /** All keys in dependency order. */
      order;
      constructor(assets, checks, sources) {
        this.assetsByKey = assets;
        this.checksByAsset = checks;
        this.sourcesByKey = sources;
        const children = /* @__PURE__ */ new Map();
        for (const key of assets.keys()) children.set(key, []);
        for (const asset of assets.values()) for (const dep of asset.deps) children.get(dep).push(asset.key);
        for (const list of children.values()) list.sort();
        this.childrenByKey = children;
        this.order = Object.freeze(topoSort([...assets.keys()], (key) => assets.get(key).deps));
      }
      /**
       * Validates and builds the graph. Throws DuplicateAssetError, UnknownDependencyError (with
       * suggestions), PartitionMappingError, CycleError, DuplicateCheckError or UnknownCheckAssetError.
       */
      static build(assets, checks = []) {
        const byKey = /* @__PURE__ */ new Map();
        const sources = /* @__PURE__ */ new Map();
        for (const { definition, source } of assets) {
          const previous = byKey.get(definition.key);
          if (previous) {
            if (previous === definition) continue;
            throw new DuplicateAssetError(definition.key, [sources.get(definition.key) ?? "<unknown>", source ?? "<unknown>"]);
          }
          byKey.set(definition.key, definition);
          if (source) sources.set(definition.key, source);
        }
        for (const asset of byKey.values()) {
          for (const dep of asset.deps) {
            if (!byKey.has(dep)) {
              throw new UnknownDependencyError(asset.key, dep, sources.get(asset.key), suggest(dep, byKey.keys()));
            }
          }
        }
        for (const asset of byKey.values()) {
          for (const dep of asset.deps) {
            const upstream = byKey.get(dep);
            if (asset.partitions === void 0 && upstream.partitions === void 0 && asset.partitionMappings[dep] === void 0) continue;
            assertMappable(asset, upstream, sources.get(asset.key));
          }
        }
        const checksByAsset = /* @__PURE__ */ new Map();
        const checkSources = /* @__PURE__ */ new Map();
        for (const { definition, source } of checks) {
          if (!byKey.has(definition.asset)) {
            throw new UnknownCheckAssetError(definition.name, definition.asset, source, suggest(definition.asset, byKey.keys()));
          }
          const list = checksByAsset.get(definition.asset) ?? [];
          const id = `${definition.asset}#${definition.name}`;
          const existing = list.find((c) => c.name === definition.name);
          if (existing) {
            if (existing === definition) continue;
            throw new DuplicateCheckError(definition.asset, definition.name, [checkSources.get(id) ?? "<unknown>", source ?? "<unknown>"]);
          }
          list.push(definition);
          if (source) checkSources.set(id, source);
          checksByAsset.set(definition.asset, list);
        }
        for (const list of checksByAsset.values()) list.sort((a, b) => a.name.localeCompare(b.name));
        return new _AssetGraph(byKey, checksByAsset, sources);
      }
      get size() {
        return this.assetsByKey.size;
      }
      /** All keys, sorted. */
      keys() {
        return [...this.assetsByKey.keys()].sort();
      }
      has(key) {
        return this.assetsByKey.has(key);
      }
      /** The definition of `key`; throws when absent (callers resolve keys through the graph first). */
      get(key) {
        const asset = this.assetsByKey.get(key);
        if (!asset) throw new Error(`AssetGraph.get: no asset "${key}"`);
        return asset;
      }
      assets() {
        return this.order.map((key) => this.assetsByKey.get(key));
      }
      sourceOf(key) {
        return this.sourcesByKey.get(key);
      }
      parents(key) {
        return this.get(key).deps;
      }
      children(key) {
        return this.childrenByKey.get(key) ?? [];
      }
      /** How `downstreamKey`'s partitions depend on `upstreamKey`'s: its explicit mapping, else the default. */
      partitionMapping(downstreamKey, upstreamKey) {
        const downstream = this.get(downstreamKey);
        return downstream.partitionMappings[upstreamKey] ?? defaultPartitionMapping(downstream.partitions, this.get(upstreamKey).partitions);
      }
      checksOf(key) {
        return this.checksByAsset.get(key) ?? [];
      }
      allChecks() {
        return this.order.flatMap((key) => this.checksOf(key));
      }
      /**
       * `keys` and everything within `depth` layers upstream (breadth-first shortest distance);
       * `depth` undefined means all the way.
       */
      upstream(keys, depth2) {
        return this.walk(keys, depth2, (key) => this.parents(key));
      }
      /** `keys` and everything within `depth` layers downstream; `depth` undefined means all. */
      downstream(keys, depth2) {
        return this.walk(keys, depth2, (key) => this.children(key));
      }
      walk(start, depth2, next) {
        const seen = new Set(start);
        let frontier = [...seen];
        for (let layer = 0; frontier.length > 0 && (depth2 === void 0 || layer < depth2); layer++) {
          const nextFrontier = [];
          for (const key of frontier) {
            for (const n of next(key)) {
              if (!seen.has(n)) {
                seen.add(n);
                nextFrontier.push(n);
              }
            }
          }
          frontier = nextFrontier;
        }
        return seen;
      }
      /** Keys in `set` with no parent inside `set`. */
      roots(set) {
        return new Set([...set].filter((key) => !this.parents(key).some((p) => set.has(p))));
      }
      /** Keys in `set` with no child inside `set`. */
      sinks(set) {
        return new Set([...set].filter((key) => !this.children(key).some((c) => set.has(c))));
      }
    };
  }
});

// src/core/time/zone-clock.ts
function formatter(timezone) {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric"
    });
    formatters.set(timezone, f);
  }
  return f;
}
function isKnownTimezone(timezone) {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}
function rawOffsetAt(timezone, wholeSecondMs) {
  const parts = {};
  for (const p of formatter(timezone).formatToParts(new Date(wholeSecondMs))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - wholeSecondMs;
}
function offsetAt(timezone, instantMs) {
  const whole = Math.floor(instantMs / 1e3) * 1e3;
  let byHour = hourOffsets.get(timezone);
  if (!byHour || byHour.size > 1e5) hourOffsets.set(timezone, byHour = /* @__PURE__ */ new Map());
  const bucket = Math.floor(whole / HOUR_MS);
  let known = byHour.get(bucket);
  if (known === void 0) {
    const start = rawOffsetAt(timezone, bucket * HOUR_MS);
    known = start === rawOffsetAt(timezone, (bucket + 1) * HOUR_MS - 1e3) ? start : null;
    byHour.set(bucket, known);
  }
  return known ?? rawOffsetAt(timezone, whole);
}
function wallAt(timezone, instantMs) {
  return instantMs + offsetAt(timezone, instantMs);
}
function firstInstantAtOrAfterWall(timezone, wallMs) {
  const offsets = /* @__PURE__ */ new Set([offsetAt(timezone, wallMs - SPAN), offsetAt(timezone, wallMs), offsetAt(timezone, wallMs + SPAN)]);
  const exact = [...offsets].map((o) => wallMs - o).filter((t) => wallAt(timezone, t) === wallMs);
  if (exact.length > 0) return Math.min(...exact);
  const sorted = [...offsets].sort((a, b) => a - b);
  let lo = wallMs - sorted[sorted.length - 1];
  let hi = wallMs - sorted[0];
  while (hi - lo > 1e3) {
    const mid = Math.floor((lo + hi) / 2e3) * 1e3;
    if (mid <= lo) break;
    if (wallAt(timezone, mid) < wallMs) lo = mid;
    else hi = mid;
  }
  return hi;
}
function latestWallUpTo(timezone, instantMs) {
  const now = wallAt(timezone, instantMs);
  const before = offsetAt(timezone, instantMs - SPAN);
  const current = offsetAt(timezone, instantMs);
  if (before <= current) return now;
  const delta = before - current;
  if (offsetAt(timezone, instantMs - delta) !== before) return now;
  let lo = Math.floor((instantMs - delta) / 1e3) * 1e3;
  let hi = Math.ceil(instantMs / 1e3) * 1e3;
  while (hi - lo > 1e3) {
    const mid = Math.floor((lo + hi) / 2e3) * 1e3;
    if (mid <= lo) break;
    if (offsetAt(timezone, mid) === before) lo = mid;
    else hi = mid;
  }
  return Math.max(now, hi + before - 1);
}
function formatInZone(timezone, instantMs) {
  const offset2 = offsetAt(timezone, instantMs);
  const wall = new Date(instantMs + offset2).toISOString();
  const ms = instantMs % 1e3 === 0 ? "" : wall.slice(19, 23);
  const sign2 = offset2 < 0 ? "-" : "+";
  const abs = Math.abs(offset2) / 6e4;
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${wall.slice(0, 19)}${ms}${sign2}${hh}:${mm}`;
}
var formatters, HOUR_MS, hourOffsets, SPAN;
var init_zone_clock = __esm({
  "src/core/time/zone-clock.ts"() {
    "use strict";
    formatters = /* @__PURE__ */ new Map();
    HOUR_MS = 36e5;
    hourOffsets = /* @__PURE__ */ new Map();
    SPAN = 15 * HOUR_MS;
  }
});

// src/scheduler/cron-ticks.ts
import { Cron } from "croner";
var InvalidCronError, CronTicks;
var init_cron_ticks = __esm({
  "src/scheduler/cron-ticks.ts"() {
    "use strict";
    init_errors();
    init_zone_clock();
    InvalidCronError = class extends SluiceError {
      constructor(field, value, reason) {
        super("INVALID_SCHEDULE", `invalid ${field} "${value}": ${reason}`, { field, value });
      }
    };
    CronTicks = class {
      /** Throws InvalidCronError naming what croner or the zone database said. */
      constructor(pattern, timezone) {
        this.pattern = pattern;
        this.timezone = timezone;
        if (!isKnownTimezone(timezone)) throw new InvalidCronError("timezone", timezone, 'not an IANA time zone (e.g. "Europe/London", "UTC")');
        try {
          this.#cron = new Cron(pattern, { utcOffset: 0, mode: "5-or-6-parts", paused: true });
        } catch (error) {
          throw new InvalidCronError("cron", pattern, error instanceof Error ? error.message : String(error));
        }
        if (this.#cron.nextRun(/* @__PURE__ */ new Date(0)) === null) throw new InvalidCronError("cron", pattern, "it never matches");
      }
      pattern;
      timezone;
      #cron;
      /** The first tick strictly after `after`, or undefined when the pattern matches no later time. */
      nextAfter(after) {
        let wall = latestWallUpTo(this.timezone, after.getTime());
        for (; ; ) {
          const next = this.#cron.nextRun(new Date(wall));
          if (next === null) return void 0;
          const instant = firstInstantAtOrAfterWall(this.timezone, next.getTime());
          if (instant > after.getTime()) return new Date(instant);
          wall = next.getTime();
        }
      }
      /** Up to `count` ticks strictly after `after`, ascending. */
      next(count, after) {
        const out = [];
        let cursor = after;
        while (out.length < count) {
          const tick = this.nextAfter(cursor);
          if (!tick) break;
          out.push(tick);
          cursor = tick;
        }
        return out;
      }
      /** Ticks in (after, until], ascending, at most `limit` (the earliest ones). */
      between(after, until, limit = Number.POSITIVE_INFINITY) {
        const out = [];
        let cursor = after;
        while (out.length < limit) {
          const tick = this.nextAfter(cursor);
          if (!tick || tick.getTime() > until.getTime()) break;
          out.push(tick);
          cursor = tick;
        }
        return out;
      }
      /** The last `count` ticks in (after, until], ascending: searched backwards in growing windows, so a long gap costs no full walk. */
      latest(count, after, until) {
        if (count < 1 || until.getTime() <= after.getTime()) return [];
        for (let window = 36e5; ; window *= 4) {
          const start = Math.max(after.getTime(), until.getTime() - window);
          const found = this.between(new Date(start), until);
          if (found.length >= count || start === after.getTime()) return found.slice(-count);
        }
      }
    };
  }
});

// src/runtime/project-load-error.ts
var ProjectLoadError;
var init_project_load_error = __esm({
  "src/runtime/project-load-error.ts"() {
    "use strict";
    init_errors();
    ProjectLoadError = class extends SluiceError {
      constructor(code, message, data, cause) {
        super(code, message, data, cause === void 0 ? {} : { cause });
      }
    };
  }
});

// src/runtime/load-project.ts
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve as resolve2 } from "node:path";
import { pathToFileURL } from "node:url";
function listModules(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  const walk2 = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk2(path);
      else if (MODULE.test(entry.name) && !SKIP.test(entry.name)) out.push(path);
    }
  };
  walk2(dir);
  return out;
}
function isDefinition(value, kind) {
  return typeof value === "object" && value !== null && value.kind === kind && Object.isFrozen(value);
}
async function loadProject(projectDir) {
  const dir = resolve2(projectDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ProjectLoadError("PROJECT_NOT_FOUND", `project folder ${dir} does not exist; pass --project DIR or set SLUICE_PROJECT`, { dir });
  }
  if (!existsSync(join(dir, "assets"))) {
    throw new ProjectLoadError(
      "PROJECT_NOT_FOUND",
      `no assets/ folder in ${dir}: a Sluice project is a folder with assets/ and schedules/; run from one, or pass --project DIR or set SLUICE_PROJECT`,
      { dir }
    );
  }
  const files = [...listModules(join(dir, "assets")), ...listModules(join(dir, "schedules"))];
  const assets = [];
  const checks = [];
  const schedules = [];
  for (const file of files) {
    const source = relative(dir, file);
    let exports;
    try {
      exports = await import(pathToFileURL(file).href);
    } catch (error) {
      const message = isSluiceError(error) ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new ProjectLoadError("MODULE_LOAD_FAILED", `${source} failed to load: ${message}`, { file: source }, error);
    }
    for (const value of Object.values(exports)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (isDefinition(item, "asset")) assets.push({ definition: item, source });
        else if (isDefinition(item, "check")) checks.push({ definition: item, source });
        else if (isDefinition(item, "schedule")) schedules.push({ definition: item, source });
      }
    }
  }
  const graph = AssetGraph.build(assets, checks);
  return { dir, graph, modules: files.map((f) => relative(dir, f)), schedules: loadSchedules(schedules, graph) };
}
function loadSchedules(found, graph) {
  const byName = /* @__PURE__ */ new Map();
  for (const { definition, source = "<unknown>" } of found) {
    const where = `schedule "${definition.name}" in ${source}`;
    const previous = byName.get(definition.name);
    if (previous) {
      if (previous.definition === definition) continue;
      throw new ProjectLoadError("DUPLICATE_SCHEDULE", `schedule "${definition.name}" is defined twice: in ${previous.source} and in ${source}; rename one`, {
        schedule: definition.name,
        files: [previous.source, source]
      });
    }
    let ticks;
    try {
      ticks = new CronTicks(definition.cron, definition.timezone);
    } catch (error) {
      throw new ProjectLoadError("INVALID_SCHEDULE", `${where}: ${error.message}`, { schedule: definition.name, file: source }, error);
    }
    let selected;
    try {
      selected = selectAssets(definition.select, graph);
    } catch (error) {
      throw new ProjectLoadError("INVALID_SCHEDULE", `${where}: select "${definition.select}": ${error.message}`, { schedule: definition.name, file: source }, error);
    }
    if (selected.size === 0) {
      throw new ProjectLoadError("INVALID_SCHEDULE", `${where}: select "${definition.select}" selects no assets; run \`sluice assets list\` to see what exists`, {
        schedule: definition.name,
        file: source
      });
    }
    byName.set(definition.name, { definition, ticks, source });
  }
  return [...byName.values()].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
}
var MODULE, SKIP;
var init_load_project = __esm({
  "src/runtime/load-project.ts"() {
    "use strict";
    init_errors();
    init_asset_graph();
    init_selection();
    init_cron_ticks();
    init_project_load_error();
    MODULE = /\.(ts|mts|js|mjs)$/;
    SKIP = /(\.d\.ts|\.test\.[mc]?[tj]s|\.spec\.[mc]?[tj]s)$/;
  }
});

// src/cli/output/format.ts
function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells) => cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}
function duration(ms) {
  if (ms === null || ms === void 0) return "-";
  if (ms < 1e3) return `${ms}ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)}s`;
  const m = Math.floor(ms / 6e4);
  return `${m}m${Math.round(ms % 6e4 / 1e3)}s`;
}
function metadataLine(metadata) {
  if (!metadata) return "";
  return Object.entries(metadata).map(([k, v]) => {
    if (v && typeof v === "object") {
      if ("url" in v) return `${k}=${String(v.url)}`;
      return `${k}=${JSON.stringify("json" in v ? v.json : v)}`;
    }
    return `${k}=${String(v)}`;
  }).join(" ");
}
var init_format = __esm({
  "src/cli/output/format.ts"() {
    "use strict";
  }
});

// src/core/partitions/cadence.ts
function fromFields(y, mo, d, h) {
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h));
  const back = new Date(wall);
  if (back.getUTCFullYear() !== Number(y) || back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d)) return void 0;
  if (back.getUTCHours() !== Number(h)) return void 0;
  return wall;
}
function cadenceOf(cadence) {
  return cadence === "daily" ? daily : hourly;
}
function dayKey(days) {
  if (days === lastDay) return lastDayKey;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  lastDay = days;
  lastDayKey = `${String(y).padStart(4, "0")}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}`;
  return lastDayKey;
}
function mod(a, b) {
  return (a % b + b) % b;
}
var HOUR_MS2, DAY_MS, DAILY, HOURLY, daily, hourly, TWO_DIGITS, lastDay, lastDayKey;
var init_cadence = __esm({
  "src/core/partitions/cadence.ts"() {
    "use strict";
    HOUR_MS2 = 36e5;
    DAY_MS = 864e5;
    DAILY = /^(\d{4})-(\d{2})-(\d{2})$/;
    HOURLY = /^(\d{4})-(\d{2})-(\d{2})-(\d{2}):00$/;
    daily = {
      stepMs: DAY_MS,
      format: "YYYY-MM-DD",
      example: "2024-10-01",
      floor: (wall) => wall - mod(wall, DAY_MS),
      toKey: (wall) => dayKey(Math.floor(wall / DAY_MS)),
      parse(key) {
        const m = DAILY.exec(key);
        return m ? fromFields(m[1], m[2], m[3], "0") : void 0;
      }
    };
    hourly = {
      stepMs: HOUR_MS2,
      format: "YYYY-MM-DD-HH:00",
      example: "2024-10-01-00:00",
      floor: (wall) => wall - mod(wall, HOUR_MS2),
      toKey(wall) {
        const day = Math.floor(wall / DAY_MS);
        return `${dayKey(day)}-${TWO_DIGITS[(wall - day * DAY_MS) / HOUR_MS2]}:00`;
      },
      parse(key) {
        const m = HOURLY.exec(key);
        return m ? fromFields(m[1], m[2], m[3], m[4]) : void 0;
      }
    };
    TWO_DIGITS = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, "0"));
    lastDay = NaN;
    lastDayKey = "";
  }
});

// src/core/partitions/zone-gaps.ts
function sampleOffset(timezone, index) {
  let byIndex = samples.get(timezone);
  if (!byIndex || byIndex.size > 5e4) samples.set(timezone, byIndex = /* @__PURE__ */ new Map());
  let o = byIndex.get(index);
  if (o === void 0) {
    o = offset(timezone, index * SAMPLE_MS);
    byIndex.set(index, o);
  }
  return o;
}
function forwardGaps(timezone, fromMs, toMs) {
  const gaps = [];
  const first = Math.floor(fromMs / SAMPLE_MS);
  const last = Math.ceil(toMs / SAMPLE_MS);
  let before = sampleOffset(timezone, first);
  for (let i = first + 1; i <= last; i++) {
    const after = sampleOffset(timezone, i);
    if (after > before) {
      let lo = (i - 1) * SAMPLE_MS;
      let hi = i * SAMPLE_MS;
      while (hi - lo > 1e3) {
        const mid = Math.floor((lo + hi) / 2e3) * 1e3;
        if (mid <= lo) break;
        if (offset(timezone, mid) === before) lo = mid;
        else hi = mid;
      }
      gaps.push({ at: hi, from: hi + before, to: hi + after });
    }
    before = after;
  }
  return gaps;
}
var SAMPLE_MS, samples, offset;
var init_zone_gaps = __esm({
  "src/core/partitions/zone-gaps.ts"() {
    "use strict";
    init_zone_clock();
    SAMPLE_MS = 4 * 864e5;
    samples = /* @__PURE__ */ new Map();
    offset = rawOffsetAt;
  }
});

// src/core/partitions/time-window-calendar.ts
function calendarOf(def) {
  let c = calendars.get(def);
  if (!c) calendars.set(def, c = new TimeWindowCalendar(def));
  return c;
}
var TimeWindowCalendar, calendars;
var init_time_window_calendar = __esm({
  "src/core/partitions/time-window-calendar.ts"() {
    "use strict";
    init_zone_clock();
    init_cadence();
    init_zone_gaps();
    TimeWindowCalendar = class {
      constructor(def) {
        this.def = def;
        this.rules = cadenceOf(def.cadence);
        this.startWall = this.rules.parse(def.start);
        this.utc = def.timezone === "UTC";
      }
      def;
      rules;
      startWall;
      utc;
      /** [start, end) of window `wall`, as instants (ms). */
      window(wall) {
        if (this.utc) return { start: wall, end: wall + this.rules.stepMs };
        return {
          start: firstInstantAtOrAfterWall(this.def.timezone, wall),
          end: firstInstantAtOrAfterWall(this.def.timezone, wall + this.rules.stepMs)
        };
      }
      /** False for a window the clocks skip entirely (its wall times never happen). */
      exists(wall) {
        if (this.utc) return true;
        const { start, end } = this.window(wall);
        return start < end;
      }
      /** The wall of the window containing `instantMs`. */
      containing(instantMs) {
        if (this.utc) return this.rules.floor(instantMs);
        return this.rules.floor(latestWallUpTo(this.def.timezone, instantMs));
      }
      /** The wall of the last partition at `nowMs`: the last fully ended window, moved by endOffset. */
      lastWall(nowMs) {
        return this.shift(this.containing(nowMs), this.def.endOffset - 1);
      }
      /** Walls in [from, to] (aligned to the cadence) whose window is empty, ascending. */
      skipped(from, to) {
        if (this.utc || to < from) return [];
        const step = this.rules.stepMs;
        const out = [];
        const margin = 26 * 36e5;
        for (const gap of forwardGaps(this.def.timezone, from - margin, to + step + margin)) {
          const firstAligned = this.rules.floor(gap.from + step - 1);
          for (let w = Math.max(from, firstAligned); w + step <= gap.to && w <= to; w += step) {
            if (out.length === 0 || out[out.length - 1] < w) out.push(w);
          }
        }
        return out;
      }
      /** The wall `windows` partitions after (negative: before) `wall`, skipping empty windows. */
      shift(wall, windows) {
        const step = this.rules.stepMs;
        const dir = Math.sign(windows);
        let pos = wall;
        let remaining = Math.abs(windows);
        while (remaining > 0) {
          const next = pos + dir * remaining * step;
          remaining = dir > 0 ? this.skipped(pos + step, next).length : this.skipped(next, pos - step).length;
          pos = next;
        }
        return pos;
      }
      /** Keys of the existing windows with walls in [from, to], oldest first. */
      keys(from, to) {
        const step = this.rules.stepMs;
        const skipped = this.skipped(from, to);
        const keys = [];
        let s = 0;
        for (let w = from; w <= to; w += step) {
          if (s < skipped.length && skipped[s] === w) {
            s++;
            continue;
          }
          keys.push(this.rules.toKey(w));
        }
        return keys;
      }
    };
    calendars = /* @__PURE__ */ new WeakMap();
  }
});

// src/core/partitions/partition-keys.ts
function partitionKeys(def, now) {
  if (def.kind === "static") return [...def.keys];
  const cal = calendarOf(def);
  return cal.keys(cal.startWall, cal.lastWall(now.getTime()));
}
function lastPartitionKey(def, now) {
  if (def.kind === "static") return def.keys[def.keys.length - 1];
  const cal = calendarOf(def);
  const last = cal.lastWall(now.getTime());
  return last >= cal.startWall ? cal.rules.toKey(last) : void 0;
}
function firstPartitionKey(def, now) {
  if (def.kind === "static") return def.keys[0];
  return lastPartitionKey(def, now) === void 0 ? void 0 : def.start;
}
function partitionKeyProblem(def, key, now) {
  if (typeof key !== "string") return "not a string";
  if (def.kind === "static") return staticIndex(def).has(key) ? void 0 : "not one of the static keys";
  const cal = calendarOf(def);
  const wall = cal.rules.parse(key);
  if (wall === void 0) return `malformed: expected ${cal.rules.format}`;
  if (wall < cal.startWall) return "before the first partition";
  if (wall > cal.lastWall(now.getTime())) return "not there yet: its window has not ended";
  if (!cal.exists(wall)) return `that hour does not happen in ${def.timezone} (the clocks skip it)`;
  return void 0;
}
function partitionTimeWindow(def, key) {
  const cal = calendarOf(timeWindowOnly(def, "partitionTimeWindow"));
  const wall = cal.rules.parse(key);
  if (wall === void 0 || wall < cal.startWall || !cal.exists(wall)) {
    throw new SluiceError("INVALID_PARTITION", `partitionTimeWindow: "${key}" is not a partition of ${describePartitions(def)}`, {
      key
    });
  }
  const { start, end } = cal.window(wall);
  return { start: new Date(start), end: new Date(end) };
}
function staticIndex(def) {
  let index = indexes.get(def);
  if (!index) indexes.set(def, index = new Map(def.keys.map((k, i) => [k, i])));
  return index;
}
function timeWindowOnly(def, fn) {
  if (def.kind !== "time-window") {
    throw new SluiceError("INVALID_PARTITION", `${fn}: static partitions have no time windows; only daily and hourly partitions do`, {});
  }
  return def;
}
var indexes;
var init_partition_keys = __esm({
  "src/core/partitions/partition-keys.ts"() {
    "use strict";
    init_errors();
    init_describe_partitions();
    init_time_window_calendar();
    indexes = /* @__PURE__ */ new WeakMap();
  }
});

// src/core/partitions/upstream-partition-keys.ts
function upstreamPartitionKeys(mapping, downstream, downstreamKey, upstream, now) {
  if (upstream === void 0) return [""];
  if (downstream === void 0 || downstreamKey === void 0) return partitionKeys(upstream, now);
  const m = mapping ?? defaultPartitionMapping(downstream, upstream);
  switch (m.kind) {
    case "all":
      return partitionKeys(upstream, now);
    case "identity":
      return isUpstreamKey(upstream, downstreamKey) ? [downstreamKey] : [];
    case "time-window":
      return overlappingKeys(m, downstream, downstreamKey, upstream);
  }
}
function isUpstreamKey(def, key) {
  if (def.kind === "static") return staticIndex(def).has(key);
  const cal = calendarOf(def);
  const wall = cal.rules.parse(key);
  return wall !== void 0 && wall >= cal.startWall && cal.exists(wall);
}
function overlappingKeys(m, downstream, key, upstream) {
  if (downstream.kind !== "time-window" || upstream.kind !== "time-window") {
    throw new SluiceError(
      "INVALID_PARTITION_MAPPING",
      "a time-window partition mapping needs daily or hourly partitions on both assets; use allPartitionsMapping() with static partitions",
      {}
    );
  }
  const down = calendarOf(downstream);
  const wall = down.rules.parse(key);
  if (wall === void 0) {
    throw new SluiceError("INVALID_PARTITION", `"${key}" is not a ${downstream.cadence} partition key (expected ${down.rules.format})`, { key });
  }
  const from = down.window(down.shift(wall, m.startOffset)).start;
  const to = down.window(down.shift(wall, m.endOffset)).end;
  if (to <= from) return [];
  const up = calendarOf(upstream);
  const first = Math.max(up.containing(from), up.startWall);
  const last = up.containing(to - 1);
  return first > last ? [] : up.keys(first, last);
}
var init_upstream_partition_keys = __esm({
  "src/core/partitions/upstream-partition-keys.ts"() {
    "use strict";
    init_errors();
    init_partition_mapping();
    init_partition_keys();
    init_time_window_calendar();
  }
});

// src/core/staleness/asset-status.ts
function assetStatuses(graph, states, now) {
  const { byKey, partitionStatus } = statusReader(graph, states, now);
  const out = /* @__PURE__ */ new Map();
  for (const asset of graph.order) {
    const def = graph.get(asset).partitions;
    if (!def) {
      out.set(asset, { ...partitionStatus(asset, void 0), partitions: null });
      continue;
    }
    const counts = { fresh: 0, stale: 0, failed: 0, missing: 0 };
    const rows = byKey.get(asset) ?? /* @__PURE__ */ new Map();
    let failed = null;
    let stale = null;
    for (const key of rows.keys()) {
      const { status, reason } = partitionStatus(asset, key);
      counts[status]++;
      if (status === "failed") failed ??= reason;
      if (status === "stale") stale ??= reason;
    }
    const last = lastPartitionKey(def, now);
    const total = countKeys(def, now);
    counts.missing += Math.max(0, total - rows.size);
    const view = failed ? { status: "failed", reason: failed } : stale ? { status: "stale", reason: stale } : last === void 0 || !rows.get(last)?.materializedAt ? { status: "missing", reason: last === void 0 ? "no partitions yet" : `latest partition ${last} never materialized` } : { status: "fresh", reason: null };
    out.set(asset, { ...view, partitions: counts });
  }
  return out;
}
function partitionStatuses(graph, states, now, asset) {
  const { byKey, partitionStatus } = statusReader(graph, states, now);
  const out = /* @__PURE__ */ new Map();
  for (const key of byKey.get(asset)?.keys() ?? []) out.set(key, partitionStatus(asset, key));
  return out;
}
function statusReader(graph, states, now) {
  const byKey = /* @__PURE__ */ new Map();
  const newest = /* @__PURE__ */ new Map();
  for (const [asset, rows] of states) {
    const map = /* @__PURE__ */ new Map();
    let max = Number.NEGATIVE_INFINITY;
    for (const row of rows) {
      map.set(row.partitionKey, row);
      if (row.materializedAt) max = Math.max(max, row.materializedAt.getTime());
    }
    byKey.set(asset, map);
    newest.set(asset, max);
  }
  const upstreamNewest = (asset, partition, parent) => {
    const parentDef = graph.get(parent);
    const def = graph.get(asset);
    const mapping = graph.partitionMapping(asset, parent);
    if (!parentDef.partitions || !def.partitions || partition === void 0 || mapping.kind === "all") {
      return parentDef.partitions ? newest.get(parent) ?? Number.NEGATIVE_INFINITY : byKey.get(parent)?.get("")?.materializedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    }
    let max = Number.NEGATIVE_INFINITY;
    const rows = byKey.get(parent);
    for (const key of upstreamPartitionKeys(mapping, def.partitions, partition, parentDef.partitions, now)) {
      const at = rows?.get(key)?.materializedAt?.getTime();
      if (at !== void 0 && at > max) max = at;
    }
    return max;
  };
  const memo = /* @__PURE__ */ new Map();
  const anyStale = /* @__PURE__ */ new Map();
  const storedStatus = (asset, key) => memo.get(asset)?.get(key)?.status ?? "missing";
  const upstreamStale = (asset, partition, parent) => {
    const parentDef = graph.get(parent).partitions;
    const def = graph.get(asset).partitions;
    if (!parentDef) return storedStatus(parent, "") === "stale";
    const mapping = graph.partitionMapping(asset, parent);
    if (!def || partition === void 0 || mapping.kind === "all") return anyStale.get(parent) === true;
    return upstreamPartitionKeys(mapping, def, partition, parentDef, now).some((key) => storedStatus(parent, key) === "stale");
  };
  const evaluate = (asset, partition) => {
    const def = graph.get(asset);
    const state = byKey.get(asset)?.get(partition ?? "");
    const where = partition === void 0 ? "" : ` (partition ${partition})`;
    if (state?.status === "FAILED") return { status: "failed", reason: `its latest materialization${where} failed` };
    if (!state?.materializedAt) return { status: "missing", reason: `never materialized${where}` };
    if (def.codeVersion !== void 0 && state.codeVersion !== def.codeVersion) {
      return { status: "stale", reason: `code version changed${where}: ${state.codeVersion ?? "(none)"} -> ${def.codeVersion}` };
    }
    const at = state.materializedAt.getTime();
    for (const parent of graph.parents(asset)) {
      if (upstreamNewest(asset, partition, parent) > at) return { status: "stale", reason: `upstream ${parent} was materialized after it${where}` };
    }
    for (const parent of graph.parents(asset)) {
      if (upstreamStale(asset, partition, parent)) return { status: "stale", reason: `upstream ${parent} is stale${where}` };
    }
    return { status: "fresh", reason: null };
  };
  for (const asset of graph.order) {
    const partitioned = graph.get(asset).partitions !== void 0;
    const results = /* @__PURE__ */ new Map();
    let stale = false;
    for (const key of byKey.get(asset)?.keys() ?? []) {
      const result = evaluate(asset, partitioned ? key : void 0);
      results.set(key, result);
      stale ||= result.status === "stale";
    }
    memo.set(asset, results);
    anyStale.set(asset, stale);
  }
  const partitionStatus = (asset, partition) => memo.get(asset)?.get(partition ?? "") ?? { status: "missing", reason: `never materialized${partition === void 0 ? "" : ` (partition ${partition})`}` };
  return { byKey, partitionStatus };
}
function countKeys(def, now) {
  return def.kind === "static" ? def.keys.length : partitionKeys(def, now).length;
}
var ASSET_STATUSES;
var init_asset_status = __esm({
  "src/core/staleness/asset-status.ts"() {
    "use strict";
    init_partition_keys();
    init_upstream_partition_keys();
    ASSET_STATUSES = Object.freeze(["fresh", "stale", "failed", "missing"]);
  }
});

// src/core/redactor.ts
function secretsFromEnv(env, secretEnv = []) {
  const listed = new Set(secretEnv);
  const out = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name) || listed.has(name)) out.push(value);
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(value);
    if (match?.[1]) {
      out.push(match[1]);
      try {
        out.push(decodeURIComponent(match[1]));
      } catch {
      }
    }
  }
  return out;
}
var REDACTED, Redactor, SECRET_NAME;
var init_redactor = __esm({
  "src/core/redactor.ts"() {
    "use strict";
    REDACTED = "[REDACTED]";
    Redactor = class _Redactor {
      secrets;
      constructor(secrets) {
        this.secrets = _Redactor.ordered(secrets);
      }
      /** Longest first, so a secret containing another is replaced whole. */
      static ordered(secrets) {
        return [...new Set([...secrets].filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
      }
      /**
       * Adds secrets learned while running: the values of env references a step's config resolved
       * (`"env:VAR"`), so they are redacted like the environment's own secrets from then on.
       */
      add(secrets) {
        const fresh = [...secrets].filter((s) => s.length >= 4 && !this.secrets.includes(s));
        if (fresh.length > 0) this.secrets = _Redactor.ordered([...this.secrets, ...fresh]);
      }
      get isEmpty() {
        return this.secrets.length === 0;
      }
      string(text) {
        let out = text;
        for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
        return out;
      }
      /** A deep copy of `value` with every string redacted. */
      value(value) {
        if (this.secrets.length === 0) return value;
        if (typeof value === "string") return this.string(value);
        if (Array.isArray(value)) return value.map((v) => this.value(v));
        if (value instanceof Date) return value;
        if (value && typeof value === "object") {
          const out = {};
          for (const [k, v] of Object.entries(value)) out[k] = this.value(v);
          return out;
        }
        return value;
      }
    };
    SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIALS?)$/i;
  }
});

// src/execution/resource-cache.ts
var ResourceCache;
var init_resource_cache = __esm({
  "src/execution/resource-cache.ts"() {
    "use strict";
    init_errors();
    ResourceCache = class {
      constructor(env) {
        this.env = env;
      }
      env;
      built = /* @__PURE__ */ new Map();
      /** The resolved values for an asset's or check's resource map. */
      async resolve(resources) {
        const out = {};
        for (const [alias, definition] of Object.entries(resources)) out[alias] = await this.get(definition);
        return out;
      }
      get(definition) {
        const existing = this.built.get(definition.name);
        if (existing) {
          if (existing.definition !== definition && existing.definition.create !== definition.create) {
            throw new SluiceError("DUPLICATE_RESOURCE", `two different resources are named "${definition.name}"; give each a unique name`, {
              name: definition.name
            });
          }
          return existing.value;
        }
        const value = Promise.resolve().then(() => definition.create(this.env)).catch((error) => {
          this.built.delete(definition.name);
          throw new SluiceError("RESOURCE_FAILED", `resource "${definition.name}" could not be built: ${error?.message ?? String(error)}`, {
            name: definition.name
          }, { cause: error });
        });
        this.built.set(definition.name, { definition, value });
        return value;
      }
      /** Closes every built resource, newest first; errors are collected, not thrown one by one. */
      async closeAll() {
        const errors = [];
        for (const { definition, value } of [...this.built.values()].reverse()) {
          try {
            const resolved = await value;
            await definition.close?.(resolved);
          } catch (error) {
            errors.push(error);
          }
        }
        this.built.clear();
        return errors;
      }
    };
  }
});

// src/storage/sql/json-events.ts
import { sql } from "kysely";
function jsonEvents(events) {
  const json = jsonEventList(events);
  return sql`jsonb_array_elements(${json}::jsonb) with ordinality`.as("e");
}
function jsonEventColumns() {
  return [
    sql`e.value->>'runId'`.as("run_id"),
    sql`e.value->>'stepKey'`.as("step_key"),
    sql`e.value->>'type'`.as("type"),
    sql`(e.value->>'at')::timestamptz`.as("at"),
    sql`e.value->'data'`.as("data")
  ];
}
function jsonEventList(events) {
  return JSON.stringify(events.map((event) => ({ runId: event.runId, stepKey: event.stepKey, type: event.type, at: event.at.toISOString(), data: event.data })));
}
var EVENT_COLUMNS;
var init_json_events = __esm({
  "src/storage/sql/json-events.ts"() {
    "use strict";
    EVENT_COLUMNS = ["run_id", "step_key", "type", "at", "data"];
  }
});

// src/storage/sql/append-events.ts
import { sql as sql2 } from "kysely";
async function appendEvents(db, events) {
  if (events.length === 0) return;
  const runIds = [...new Set(events.map((event) => event.runId))].sort();
  await db.with("locked", (qb) => qb.selectFrom("runs").select("id").where("id", "in", runIds).orderBy("id").forNoKeyUpdate()).insertInto("events").columns(EVENT_COLUMNS).expression(
    (eb) => eb.selectFrom(jsonEvents(events)).select(jsonEventColumns()).where(sql2`(select count(*) from locked) >= 0`).orderBy(sql2`e.ordinality`)
  ).execute();
}
var init_append_events = __esm({
  "src/storage/sql/append-events.ts"() {
    "use strict";
    init_json_events();
  }
});

// src/storage/sql/asset-partitions.ts
async function assetPartitions(db, assetKeys) {
  if (assetKeys?.length === 0) return [];
  let query = db.selectFrom("asset_partitions").selectAll().orderBy("asset_key").orderBy("partition_key");
  if (assetKeys) query = query.where("asset_key", "in", [...new Set(assetKeys)]);
  const rows = await query.execute();
  return rows.map((row) => ({
    assetKey: row.asset_key,
    partitionKey: row.partition_key,
    status: row.status,
    materializedAt: row.materialized_at,
    codeVersion: row.code_version,
    runId: row.run_id,
    stepKey: row.step_key,
    updatedAt: row.updated_at
  }));
}
var init_asset_partitions = __esm({
  "src/storage/sql/asset-partitions.ts"() {
    "use strict";
  }
});

// src/storage/sql/chunk-rows.ts
function chunkRows(rows, parametersPerRow) {
  const size = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / parametersPerRow));
  const chunks = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
var MAX_BIND_PARAMETERS;
var init_chunk_rows = __esm({
  "src/storage/sql/chunk-rows.ts"() {
    "use strict";
    MAX_BIND_PARAMETERS = 65535;
  }
});

// src/storage/sql/insert-events.ts
function toEventRow(event) {
  return { run_id: event.runId, step_key: event.stepKey, type: event.type, at: event.at, data: JSON.stringify(event.data) };
}
async function insertEvents(db, events) {
  for (const rows of chunkRows(events.map(toEventRow), 5)) await db.insertInto("events").values(rows).execute();
}
var init_insert_events = __esm({
  "src/storage/sql/insert-events.ts"() {
    "use strict";
    init_chunk_rows();
  }
});

// src/storage/sql/row-mappers.ts
function toRunRecord(row) {
  return {
    id: row.id,
    status: row.status,
    selection: row.selection,
    trigger: row.trigger,
    tags: row.tags,
    config: row.config,
    configRef: row.config_name === null || row.config_version === null ? null : { name: row.config_name, version: row.config_version },
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    queueReason: row.queue_reason,
    partition: row.partition ?? null,
    backfillId: row.backfill_id ?? null
  };
}
function toStepRecord(row) {
  return {
    runId: row.run_id,
    key: row.step_key,
    kind: row.kind,
    assetKey: row.asset_key,
    checkName: row.check_name,
    deps: row.deps,
    status: row.status,
    attempt: row.attempt,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    worker: row.worker,
    partitions: row.partitions ?? null
  };
}
function toEventRecord(row) {
  return { id: Number(row.id), runId: row.run_id, stepKey: row.step_key, at: row.at, type: row.type, data: row.data };
}
function toMaterializationRecord(row) {
  return {
    id: Number(row.id),
    assetKey: row.asset_key,
    runId: row.run_id,
    stepKey: row.step_key,
    metadata: row.metadata,
    dataVersion: row.data_version,
    at: row.at,
    partitionKey: row.partition_key ?? null,
    codeVersion: row.code_version ?? null
  };
}
function toCheckResultRecord(row) {
  return {
    id: Number(row.id),
    runId: row.run_id,
    assetKey: row.asset_key,
    checkName: row.check_name,
    passed: row.passed,
    severity: row.severity,
    blocking: row.blocking,
    metadata: row.metadata,
    description: row.description,
    at: row.at,
    partitionKey: row.partition_key ?? null
  };
}
function toRunConfigRecord(row) {
  return { name: row.name, version: row.version, body: row.body, createdAt: row.created_at };
}
function toAssetLockRecord(row) {
  return { assetKey: row.asset_key, partitionKey: row.partition_key, runId: row.run_id, stepKey: row.step_key, worker: row.worker, acquiredAt: row.acquired_at };
}
function toHeartbeat(row) {
  return { id: row.id, kind: row.kind, host: row.host, pid: row.pid, startedAt: row.started_at, at: row.at, info: row.info };
}
var init_row_mappers = __esm({
  "src/storage/sql/row-mappers.ts"() {
    "use strict";
  }
});

// src/storage/sql/create-run.ts
async function createRun(db, run2) {
  const [record] = await createRuns(db, [run2], (write) => db.transaction().execute(write));
  return record;
}
async function createRuns(db, runs, inTransaction) {
  const steps = runs.flatMap(toStepRows);
  try {
    return await inTransaction(async (trx) => {
      const records = [];
      for (const rows of chunkRows(runs.map(toRunRow), RUN_COLUMNS)) {
        for (const row of await trx.insertInto("runs").values(rows).returningAll().execute()) records.push(toRunRecord(row));
      }
      for (const rows of chunkRows(steps, STEP_COLUMNS)) await trx.insertInto("run_steps").values(rows).execute();
      await insertEvents(
        trx,
        runs.map((run2) => ({
          type: "RUN_QUEUED",
          runId: run2.id,
          stepKey: null,
          at: run2.at,
          data: { selection: run2.selection, trigger: run2.trigger, ...run2.partition ? { partition: run2.partition } : {} }
        }))
      );
      return records;
    });
  } catch (error) {
    if (error.code === UNIQUE_VIOLATION) {
      const ids = runs.map((r) => r.id);
      const which = ids.length === 1 ? `run "${ids[0]}" already exists` : `one of ${ids.length} runs ("${ids[0]}", ...) or their backfill already exists`;
      throw new SluiceError("RUN_ALREADY_EXISTS", `${which}: each run needs a fresh id`, { runIds: ids, runId: ids[0] }, { kind: "internal", cause: error });
    }
    throw error;
  }
}
function toRunRow(run2) {
  return {
    id: run2.id,
    status: "QUEUED",
    selection: run2.selection,
    trigger: run2.trigger,
    tags: JSON.stringify(run2.tags),
    config: JSON.stringify(run2.config),
    config_name: run2.configRef?.name ?? null,
    config_version: run2.configRef?.version ?? null,
    created_at: run2.at,
    unfinished: run2.steps.length,
    partition: run2.partition ?? null,
    backfill_id: run2.backfillId ?? null
  };
}
function toStepRows(run2) {
  const children = /* @__PURE__ */ new Map();
  for (const step of run2.steps) {
    if (children.has(step.key)) throw invalidPlan(run2.id, `step "${step.key}" appears twice`);
    children.set(step.key, []);
  }
  for (const step of run2.steps) {
    for (const dep of step.deps) {
      const siblings = children.get(dep);
      if (!siblings) throw invalidPlan(run2.id, `step "${step.key}" depends on "${dep}", which is not a step of the run`);
      siblings.push(step.key);
    }
  }
  return run2.steps.map((step, position) => ({
    run_id: run2.id,
    step_key: step.key,
    kind: step.kind,
    asset_key: step.assetKey,
    check_name: step.checkName,
    position,
    deps: [...step.deps],
    children: children.get(step.key) ?? [],
    status: "PENDING",
    waiting: new Set(step.deps).size,
    partitions: step.partitions && step.partitions.length > 0 ? [...step.partitions] : null
  }));
}
function invalidPlan(runId, problem) {
  return new SluiceError("INVALID_RUN_PLAN", `cannot create run "${runId}": ${problem}; build the plan with buildPlan()`, { runId }, { kind: "internal" });
}
var RUN_COLUMNS, STEP_COLUMNS, UNIQUE_VIOLATION;
var init_create_run = __esm({
  "src/storage/sql/create-run.ts"() {
    "use strict";
    init_errors();
    init_chunk_rows();
    init_insert_events();
    init_row_mappers();
    RUN_COLUMNS = 13;
    STEP_COLUMNS = 11;
    UNIQUE_VIOLATION = "23505";
  }
});

// src/storage/sql/backfills.ts
function formatBackfillPolicy(policy) {
  return policy.kind === "chunks" ? `chunks:${policy.size}` : policy.kind;
}
function parseStoredPolicy(text) {
  if (text.startsWith("chunks:")) return { kind: "chunks", size: Number(text.slice("chunks:".length)) };
  return { kind: text === "single-run" ? "single-run" : "per-partition" };
}
function toBackfillRecord(row) {
  return {
    id: row.id,
    status: row.status,
    selection: row.selection,
    from: row.partition_from,
    to: row.partition_to,
    policy: parseStoredPolicy(row.policy),
    maxConcurrentRuns: row.max_concurrent_runs,
    partitions: row.partitions,
    runCount: row.run_count,
    trigger: row.trigger,
    tags: row.tags,
    createdAt: row.created_at,
    endedAt: row.ended_at
  };
}
async function createBackfill(db, backfill2, runs) {
  let record;
  await createRuns(
    db,
    runs.map((run2) => ({ ...run2, backfillId: backfill2.id })),
    (write) => db.transaction().execute(async (trx) => {
      const row = await trx.insertInto("backfills").values({
        id: backfill2.id,
        status: "RUNNING",
        selection: backfill2.selection,
        partition_from: backfill2.from,
        partition_to: backfill2.to,
        policy: formatBackfillPolicy(backfill2.policy),
        max_concurrent_runs: backfill2.maxConcurrentRuns,
        partitions: [...backfill2.partitions],
        run_count: runs.length,
        trigger: backfill2.trigger,
        tags: JSON.stringify(backfill2.tags),
        created_at: backfill2.at
      }).returningAll().executeTakeFirstOrThrow();
      record = toBackfillRecord(row);
      return write(trx);
    })
  );
  return record;
}
async function getBackfill(db, id) {
  const row = await db.selectFrom("backfills").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toBackfillRecord(row);
}
async function listBackfills(db, options = {}) {
  let query = db.selectFrom("backfills").selectAll().orderBy("created_at", "desc").orderBy("id", "desc");
  if (options.statuses) {
    if (options.statuses.length === 0) return [];
    query = query.where("status", "in", [...options.statuses]);
  }
  if (options.limit !== void 0) query = query.limit(options.limit);
  return (await query.execute()).map(toBackfillRecord);
}
async function listBackfillRuns(db, id) {
  const rows = await db.selectFrom("runs").select(["id", "status", "partition"]).where("backfill_id", "=", id).orderBy("created_at").orderBy("partition").orderBy("id").execute();
  return rows.map((row) => ({ runId: row.id, status: row.status, partition: row.partition }));
}
async function requestBackfillCancel(db, id, _at) {
  const result = await db.updateTable("backfills").set({ status: "CANCELING" }).where("id", "=", id).where("status", "=", "RUNNING").executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
async function finishBackfillIfDone(db, id, at) {
  await db.updateTable("backfills as b").set((eb) => ({
    status: eb.case().when("b.status", "=", "CANCELING").then("CANCELED").when(
      eb.exists(
        eb.selectFrom("runs as r").select("r.id").whereRef("r.backfill_id", "=", "b.id").where("r.status", "<>", "SUCCESS")
      )
    ).then("FAILED").else("COMPLETED").end(),
    ended_at: at
  })).where("b.id", "=", id).where("b.status", "in", ["RUNNING", "CANCELING"]).where(
    (eb) => eb.not(
      eb.exists(
        eb.selectFrom("runs as r").select("r.id").whereRef("r.backfill_id", "=", "b.id").where("r.status", "in", [...ACTIVE_RUN_STATUSES])
      )
    )
  ).execute();
  const row = await db.selectFrom("backfills").select("status").where("id", "=", id).executeTakeFirst();
  return row?.status;
}
var ACTIVE_RUN_STATUSES;
var init_backfills = __esm({
  "src/storage/sql/backfills.ts"() {
    "use strict";
    init_create_run();
    ACTIVE_RUN_STATUSES = ["QUEUED", "STARTED", "CANCELING"];
  }
});

// src/storage/sql/asset-locks.ts
async function listAssetLocks(db) {
  const rows = await db.selectFrom("asset_locks").selectAll().orderBy("asset_key").execute();
  return rows.map(toAssetLockRecord);
}
var init_asset_locks = __esm({
  "src/storage/sql/asset-locks.ts"() {
    "use strict";
    init_row_mappers();
  }
});

// src/storage/sql/asset-cursors.ts
async function getCursor(db, assetKey, partitionKey = "") {
  const row = await db.selectFrom("asset_cursors").selectAll().where("asset_key", "=", assetKey).where("partition_key", "=", partitionKey).executeTakeFirst();
  return row && { assetKey: row.asset_key, partitionKey: row.partition_key, value: row.value, runId: row.run_id, stepKey: row.step_key, updatedAt: row.updated_at };
}
var init_asset_cursors = __esm({
  "src/storage/sql/asset-cursors.ts"() {
    "use strict";
  }
});

// src/storage/sql/cancel-pending-steps.ts
import { sql as sql3 } from "kysely";
async function cancelPendingSteps(db, runId, at) {
  const rows = await db.with(
    "locked",
    (qb) => qb.selectFrom("run_steps").select("step_key").where("run_id", "=", runId).where("status", "=", "PENDING").orderBy("step_key").forNoKeyUpdate()
  ).with(
    "canceled",
    (qb) => qb.updateTable("run_steps").set({ status: "CANCELED", ended_at: at }).where("run_id", "=", runId).where("status", "=", "PENDING").where("step_key", "in", (eb) => eb.selectFrom("locked").select("locked.step_key")).returning("step_key")
  ).with(
    "run",
    (qb) => qb.updateTable("runs").set((eb) => ({ unfinished: sql3`${eb.ref("unfinished")} - (select count(*) from canceled)` })).where("id", "=", runId).where((eb) => eb.exists(eb.selectFrom("canceled").select("canceled.step_key"))).returning("id")
  ).insertInto("events").columns(["run_id", "step_key", "type", "at", "data"]).expression(
    (eb) => eb.selectFrom(["run", "canceled"]).select([
      "run.id",
      "canceled.step_key",
      eb.cast(eb.val("STEP_CANCELED"), "text").as("type"),
      eb.cast(eb.val(at), "timestamptz").as("at"),
      eb.cast(eb.val("{}"), "jsonb").as("data")
    ]).orderBy("canceled.step_key")
  ).returning("step_key").execute();
  return rows.map((row) => row.step_key ?? "").sort();
}
var init_cancel_pending_steps = __esm({
  "src/storage/sql/cancel-pending-steps.ts"() {
    "use strict";
  }
});

// src/storage/sql/check-results.ts
async function checkResults(db, filter) {
  let query = db.selectFrom("check_results").selectAll().orderBy("id", "desc");
  if (filter.runId !== void 0) query = query.where("run_id", "=", filter.runId);
  if (filter.assetKey !== void 0) query = query.where("asset_key", "=", filter.assetKey);
  if (filter.limit !== void 0) query = query.limit(filter.limit);
  return (await query.execute()).map(toCheckResultRecord);
}
async function latestCheckResults(db, assetKeys) {
  if (assetKeys.length === 0) return [];
  const rows = await db.selectFrom("check_results").selectAll().distinctOn(["asset_key", "check_name"]).where("asset_key", "in", [...new Set(assetKeys)]).orderBy("asset_key").orderBy("check_name").orderBy("id", "desc").execute();
  return rows.map(toCheckResultRecord);
}
var init_check_results = __esm({
  "src/storage/sql/check-results.ts"() {
    "use strict";
    init_row_mappers();
  }
});

// src/core/asset/asset-key.ts
var init_asset_key = __esm({
  "src/core/asset/asset-key.ts"() {
    "use strict";
    init_errors();
  }
});

// src/core/checks/check-definition.ts
function isGating(check) {
  return check.blocking && check.severity === "ERROR";
}
var init_check_definition = __esm({
  "src/core/checks/check-definition.ts"() {
    "use strict";
    init_asset_key();
    init_errors();
  }
});

// src/core/plan/execution-plan.ts
function checkStepKey(assetKey, checkName) {
  return `${assetKey}#${checkName}`;
}
function parseStepKey(key) {
  const hash = key.indexOf("#");
  return hash < 0 ? { key, kind: "asset", assetKey: key, checkName: null } : { key, kind: "check", assetKey: key.slice(0, hash), checkName: key.slice(hash + 1) };
}
function buildPlan(graph, keys) {
  const steps = [];
  const nearest = nearestSelectedAncestors(graph, keys);
  for (const key of graph.order) {
    if (!keys.has(key)) continue;
    const deps = /* @__PURE__ */ new Set();
    for (const upstream of nearest(key)) {
      deps.add(upstream);
      for (const check of graph.checksOf(upstream)) if (isGating(check)) deps.add(checkStepKey(upstream, check.name));
    }
    steps.push(Object.freeze({ key, kind: "asset", assetKey: key, checkName: null, deps: Object.freeze([...deps].sort()) }));
    for (const check of graph.checksOf(key)) {
      steps.push(
        Object.freeze({ key: checkStepKey(key, check.name), kind: "check", assetKey: key, checkName: check.name, deps: Object.freeze([key]) })
      );
    }
  }
  return Object.freeze({ steps: Object.freeze(steps) });
}
function nearestSelectedAncestors(graph, keys) {
  const none = /* @__PURE__ */ new Set();
  const above = (key) => {
    let out;
    for (const parent of graph.parents(key)) {
      const found = keys.has(parent) ? [parent] : throughUnselected.get(parent) ?? none;
      for (const ancestor of found) (out ??= /* @__PURE__ */ new Set()).add(ancestor);
    }
    return out ?? none;
  };
  const throughUnselected = /* @__PURE__ */ new Map();
  for (const key of graph.order) if (!keys.has(key)) throughUnselected.set(key, above(key));
  return above;
}
var init_execution_plan = __esm({
  "src/core/plan/execution-plan.ts"() {
    "use strict";
    init_check_definition();
  }
});

// src/storage/sql/outcome-events.ts
function outcomeEvents(step, outcome, retryDelayMs2) {
  const { runId, stepKey, assetKey } = step;
  const { at, attempt, durationMs } = outcome;
  const events = [...outcome.events ?? []];
  const stepFailed = (retry) => ({
    type: "STEP_FAILED",
    runId,
    stepKey,
    at,
    data: { attempt, durationMs, error: outcome.error ?? NO_ERROR_GIVEN, ...retry }
  });
  if (retryDelayMs2 !== void 0) return [...events, stepFailed({ willRetry: true, retryDelayMs: retryDelayMs2 })];
  if (outcome.materialization) {
    const { metadata, dataVersion, partition } = outcome.materialization;
    events.push({
      type: "MATERIALIZATION",
      runId,
      stepKey,
      at,
      data: { assetKey, metadata, ...dataVersion === void 0 ? {} : { dataVersion }, ...partition === void 0 ? {} : { partition } }
    });
  }
  if (outcome.check) {
    const { description, ...check } = outcome.check;
    const checkName = step.checkName ?? stepKey;
    events.push({ type: "CHECK_EVALUATION", runId, stepKey, at, data: { assetKey, checkName, ...check, ...description === void 0 ? {} : { description } } });
  }
  if (outcome.status === "SUCCEEDED") events.push({ type: "STEP_SUCCEEDED", runId, stepKey, at, data: { attempt, durationMs } });
  else if (outcome.status === "CANCELED") events.push({ type: "STEP_CANCELED", runId, stepKey, at, data: {} });
  else events.push(stepFailed({ willRetry: false }));
  return events;
}
var NO_ERROR_GIVEN;
var init_outcome_events = __esm({
  "src/storage/sql/outcome-events.ts"() {
    "use strict";
    NO_ERROR_GIVEN = { name: "Error", message: "the step failed without an error" };
  }
});

// src/storage/postgres/preparing-pool.ts
import { createHash } from "node:crypto";
function nameOf(text) {
  let name = names.get(text);
  if (!name) {
    name = `sluice_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}
function preparingPool(pool) {
  return {
    async connect() {
      const client = await pool.connect();
      const query = client.query.bind(client);
      return {
        query(sqlOrCursor, parameters) {
          if (typeof sqlOrCursor === "string" && sqlOrCursor.startsWith(PREPARED_MARKER)) {
            return query({ name: nameOf(sqlOrCursor), text: sqlOrCursor, values: parameters });
          }
          return parameters === void 0 ? query(sqlOrCursor) : query(sqlOrCursor, parameters);
        },
        release: () => client.release()
      };
    },
    end: () => pool.end()
  };
}
var PREPARED_MARKER, names;
var init_preparing_pool = __esm({
  "src/storage/postgres/preparing-pool.ts"() {
    "use strict";
    PREPARED_MARKER = "/* sluice:prepared */";
    names = /* @__PURE__ */ new Map();
  }
});

// src/storage/sql/sql-text.ts
import { CompiledQuery } from "kysely";
var SqlText;
var init_sql_text = __esm({
  "src/storage/sql/sql-text.ts"() {
    "use strict";
    init_preparing_pool();
    SqlText = class {
      #schema;
      values = [];
      constructor(schema) {
        this.#schema = schema;
      }
      table(name) {
        return `"${this.#schema}"."${name}"`;
      }
      bind(value, type) {
        this.values.push(value);
        return `$${this.values.length}::${type}`;
      }
      /**
       * Runs `text` (built with this object's `table` and `bind`) as one statement; on server Postgres
       * as a named prepared statement (see preparing-pool.ts), so its plan is made once per connection.
       */
      async execute(db, text) {
        return (await db.executeQuery(CompiledQuery.raw(`${PREPARED_MARKER}
${text}`, this.values))).rows;
      }
    };
  }
});

// src/storage/sql/unfinished-step-count.ts
async function unfinishedStepCount(db, runId) {
  const row = await db.selectFrom("runs").select("unfinished").where("id", "=", runId).executeTakeFirst();
  return row?.unfinished ?? 0;
}
var init_unfinished_step_count = __esm({
  "src/storage/sql/unfinished-step-count.ts"() {
    "use strict";
  }
});

// src/storage/sql/finish-step.ts
async function finishStep(db, schema, runId, stepKey, outcome) {
  const { assetKey, checkName } = parseStepKey(stepKey);
  const [row] = await endAttempt(db, schema, { runId, stepKey, assetKey, checkName }, outcome);
  if (!row || row.remaining === null) return unchanged(db, runId);
  return { ready: row.ready ?? [], skipped: row.skipped ?? [], remaining: Number(row.remaining) };
}
async function unchanged(db, runId) {
  return { ready: [], skipped: [], remaining: await unfinishedStepCount(db, runId) };
}
function endAttempt(db, schema, step, outcome) {
  const q = new SqlText(schema);
  const run2 = q.bind(step.runId, "text");
  const key = q.bind(step.stepKey, "text");
  const at = q.bind(outcome.at, "timestamptz");
  const steps = q.table("run_steps");
  const failed = outcome.status === "FAILED";
  const freeing = outcome.status === "SUCCEEDED";
  const ctes = [];
  if (failed || freeing) {
    const children = `select unnest(f.children) from ${steps} f where f.run_id = ${run2} and f.step_key = ${key}`;
    const downstream = failed ? `${children}
         union
         select unnest(s.children) from ${steps} s join downstream d on d.step_key = s.step_key where s.run_id = ${run2}` : children;
    ctes.push(
      `downstream(step_key) as (${downstream})`,
      `targets as (
         select step_key from ${steps}
         where run_id = ${run2} and (step_key = ${key} or step_key in (select step_key from downstream))
         order by step_key
         for no key update
       )`
    );
  }
  ctes.push(
    `ended as (
       update ${steps} set status = ${q.bind(outcome.status, "text")}, ended_at = ${at}, error = ${q.bind(outcome.error ? JSON.stringify(outcome.error) : null, "jsonb")}
       where run_id = ${run2} and step_key = ${key} and status = 'RUNNING' and attempt = ${q.bind(outcome.attempt, "integer")}
         ${failed || freeing ? "and (select count(*) from targets) > 0" : ""}
       returning asset_key, kind, partitions
     )`,
    `released as (
       delete from ${q.table("asset_locks")} where asset_key = (select asset_key from ended) and run_id = ${run2} and step_key = ${key}
       returning asset_key
     )`
  );
  const before = ["released"];
  const row = outcomeRow(q, step, outcome, run2, key, at);
  if (row) ctes.push(`outcome as (${row})`), before.push("outcome");
  if (outcome.status !== "CANCELED") {
    const succeeded = outcome.status === "SUCCEEDED";
    ctes.push(
      `state as (
         insert into ${q.table("asset_partitions")} as p (asset_key, partition_key, status, run_id, step_key, materialized_at, code_version, updated_at)
         select e.asset_key, coalesce(k.key, ''), ${succeeded ? `'MATERIALIZED'` : `'FAILED'`}, ${run2}, ${key}, ${succeeded ? at : "null::timestamptz"},
                ${q.bind(outcome.materialization?.codeVersion ?? null, "text")}, ${at}
         from ended e left join lateral unnest(e.partitions) as k(key) on true
         where e.kind = 'asset'
         on conflict (asset_key, partition_key) do update
           set status = excluded.status, run_id = excluded.run_id, step_key = excluded.step_key, updated_at = excluded.updated_at
               ${succeeded ? ", materialized_at = excluded.materialized_at, code_version = excluded.code_version" : ""}
         returning asset_key
       )`
    );
    before.push("state");
  }
  if (outcome.cursor && outcome.status === "SUCCEEDED") {
    ctes.push(
      `cursor as (
         insert into ${q.table("asset_cursors")} as c (asset_key, partition_key, value, run_id, step_key, updated_at)
         select asset_key, case when cardinality(partitions) = 1 then partitions[1] else '' end,
                ${q.bind(JSON.stringify(outcome.cursor.value), "jsonb")}, ${run2}, ${key}, ${at} from ended
         on conflict (asset_key, partition_key) do update
           set value = excluded.value, run_id = excluded.run_id, step_key = excluded.step_key, updated_at = excluded.updated_at
         returning asset_key
       )`
    );
    before.push("cursor");
  }
  if (freeing) {
    ctes.push(
      `freed as (
         update ${steps} set waiting = waiting - 1
         where run_id = ${run2} and step_key in (select step_key from downstream) and exists (select from ended)
         returning step_key, status, waiting
       )`
    );
    before.push("freed");
  }
  if (failed) {
    ctes.push(
      `skipped as (
         update ${steps} set status = 'SKIPPED', ended_at = ${at}
         where run_id = ${run2} and status = 'PENDING' and step_key in (select step_key from downstream) and exists (select from ended)
         returning step_key
       )`
    );
    before.push("skipped");
  }
  ctes.push(
    `run as (
       update ${q.table("runs")} set unfinished = unfinished - 1 ${failed ? "- (select count(*) from skipped)" : ""}
       where id = ${run2} and exists (select from ended)
         and ${before.map((name) => `(select count(*) from ${name})`).join(" + ")} >= 0
       returning id, unfinished
     )`
  );
  const events = q.bind(jsonEventList(outcomeEvents(step, outcome)), "jsonb");
  const outcomeEventRows = `select run.id as run_id, e.value->>'stepKey' as step_key, e.value->>'type' as type, (e.value->>'at')::timestamptz as at,
                                   e.value->'data' as data, 0 as grp, e.ordinality as ord, null::text as skipped_key
                            from run, jsonb_array_elements(${events}) with ordinality as e`;
  const skippedEventRows = () => `select run.id, s.step_key, 'STEP_SKIPPED', ${at}, ${q.bind(JSON.stringify({ reason: `upstream step "${step.stepKey}" failed` }), "jsonb")}, 1, 0, s.step_key
                            from run, skipped s`;
  ctes.push(
    `logged as (
       insert into ${q.table("events")} (run_id, step_key, type, at, data)
       select run_id, step_key, type, at, data from (${failed ? `${outcomeEventRows} union all ${skippedEventRows()}` : outcomeEventRows}) u
       order by grp, ord, skipped_key
       returning id
     )`
  );
  return q.execute(
    db,
    `with ${failed ? "recursive " : ""}${ctes.join(",\n")}
     select (select unfinished from run) as remaining,
            ${freeing ? `(select array_agg(step_key order by step_key) from freed where status = 'PENDING' and waiting = 0)` : "null::text[]"} as ready,
            ${failed ? `(select array_agg(step_key order by step_key) from skipped)` : "null::text[]"} as skipped`
  );
}
function outcomeRow(q, step, outcome, run2, key, at) {
  if (outcome.materialization) {
    const { metadata, dataVersion, codeVersion } = outcome.materialization;
    return `insert into ${q.table("materializations")} (asset_key, partition_key, run_id, step_key, metadata, data_version, code_version, at)
            select e.asset_key, k.key, ${run2}, ${key}, ${q.bind(JSON.stringify(metadata), "jsonb")}, ${q.bind(dataVersion ?? null, "text")},
                   ${q.bind(codeVersion ?? null, "text")}, ${at}
            from ended e left join lateral unnest(e.partitions) with ordinality as k(key, n) on true
            order by k.n
            returning id`;
  }
  if (outcome.check) {
    const { passed, severity, blocking, metadata, description } = outcome.check;
    return `insert into ${q.table("check_results")} (run_id, asset_key, check_name, passed, severity, blocking, metadata, description, at, partition_key)
            select ${run2}, asset_key, ${q.bind(step.checkName ?? step.stepKey, "text")}, ${q.bind(passed, "boolean")}, ${q.bind(severity, "text")},
                   ${q.bind(blocking, "boolean")}, ${q.bind(JSON.stringify(metadata), "jsonb")}, ${q.bind(description ?? null, "text")}, ${at},
                   case when cardinality(partitions) = 1 then partitions[1] end from ended
            returning id`;
  }
  return void 0;
}
var init_finish_step = __esm({
  "src/storage/sql/finish-step.ts"() {
    "use strict";
    init_execution_plan();
    init_json_events();
    init_outcome_events();
    init_sql_text();
    init_unfinished_step_count();
  }
});

// src/storage/sql/heartbeats.ts
async function heartbeat(db, beat) {
  const fields = {
    kind: beat.kind,
    host: beat.host,
    pid: beat.pid,
    started_at: beat.startedAt,
    at: beat.at,
    info: JSON.stringify(beat.info)
  };
  await db.insertInto("heartbeats").values({ id: beat.id, ...fields }).onConflict((oc) => oc.column("id").doUpdateSet(fields)).execute();
}
async function listHeartbeats(db) {
  const rows = await db.selectFrom("heartbeats").selectAll().orderBy("at", "desc").orderBy("id").execute();
  return rows.map(toHeartbeat);
}
async function removeHeartbeat(db, id) {
  await db.deleteFrom("heartbeats").where("id", "=", id).execute();
}
var init_heartbeats = __esm({
  "src/storage/sql/heartbeats.ts"() {
    "use strict";
    init_row_mappers();
  }
});

// src/storage/sql/leases.ts
async function acquireLease(db, name, holder, ttlMs, at) {
  if (!(ttlMs > 0)) {
    throw new SluiceError("INVALID_LEASE_TTL", `acquireLease("${name}"): ttlMs must be a positive number of milliseconds, got ${ttlMs}`, { name, ttlMs }, { kind: "internal" });
  }
  const row = await db.insertInto("leases").values({ name, holder, expires_at: new Date(at.getTime() + ttlMs) }).onConflict(
    (oc) => oc.column("name").doUpdateSet((eb) => ({ holder: eb.ref("excluded.holder"), expires_at: eb.ref("excluded.expires_at") })).where((eb) => eb.or([eb("leases.expires_at", "<=", at), eb("leases.holder", "=", eb.ref("excluded.holder"))]))
  ).returning("holder").executeTakeFirst();
  return row !== void 0;
}
async function releaseLease(db, name, holder) {
  await db.deleteFrom("leases").where("name", "=", name).where("holder", "=", holder).execute();
}
async function getLease(db, name) {
  const row = await db.selectFrom("leases").select(["holder", "expires_at"]).where("name", "=", name).executeTakeFirst();
  return row ? { holder: row.holder, expiresAt: row.expires_at } : void 0;
}
var init_leases = __esm({
  "src/storage/sql/leases.ts"() {
    "use strict";
    init_errors();
  }
});

// src/storage/sql/list-events.ts
async function listEvents(db, runId, options = {}) {
  let query = db.selectFrom("events").selectAll().where("run_id", "=", runId).orderBy("id");
  if (options.afterId !== void 0) query = query.where("id", ">", options.afterId);
  if (options.types) {
    if (options.types.length === 0) return [];
    query = query.where("type", "in", [...options.types]);
  }
  if (options.limit !== void 0) query = query.limit(options.limit);
  return (await query.execute()).map(toEventRecord);
}
var init_list_events = __esm({
  "src/storage/sql/list-events.ts"() {
    "use strict";
    init_row_mappers();
  }
});

// src/storage/sql/list-runs.ts
import { sql as sql4 } from "kysely";
async function getRun(db, id) {
  const row = await db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toRunRecord(row);
}
async function listRuns(db, options = {}) {
  let query = db.selectFrom("runs").selectAll().orderBy("created_at", "desc").orderBy("id", "desc");
  if (options.statuses) {
    if (options.statuses.length === 0) return [];
    query = query.where("status", "in", [...options.statuses]);
  }
  if (options.tags && Object.keys(options.tags).length > 0) query = query.where(sql4`tags @> ${JSON.stringify(options.tags)}::jsonb`);
  if (options.since) query = query.where("created_at", ">=", options.since);
  if (options.limit !== void 0) query = query.limit(options.limit);
  return (await query.execute()).map(toRunRecord);
}
var init_list_runs = __esm({
  "src/storage/sql/list-runs.ts"() {
    "use strict";
    init_row_mappers();
  }
});

// src/storage/sql/list-steps.ts
async function listSteps(db, runId) {
  const rows = await db.selectFrom("run_steps").selectAll().where("run_id", "=", runId).orderBy("position").execute();
  return rows.map(toStepRecord);
}
var init_list_steps = __esm({
  "src/storage/sql/list-steps.ts"() {
    "use strict";
    init_row_mappers();
  }
});

// src/storage/sql/materializations.ts
async function latestMaterializations(db, assetKeys) {
  if (assetKeys?.length === 0) return /* @__PURE__ */ new Map();
  let query = db.selectFrom("materializations").selectAll().distinctOn("asset_key").orderBy("asset_key").orderBy("id", "desc");
  if (assetKeys) query = query.where("asset_key", "in", [...assetKeys]);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.asset_key, toMaterializationRecord(row)]));
}
async function materializationHistory(db, assetKey, options = {}) {
  let query = db.selectFrom("materializations").selectAll().where("asset_key", "=", assetKey).orderBy("id", "desc");
  if (options.partitionKey !== void 0) query = query.where("partition_key", "=", options.partitionKey);
  if (options.limit !== void 0) query = query.limit(options.limit);
  return (await query.execute()).map(toMaterializationRecord);
}
var init_materializations = __esm({
  "src/storage/sql/materializations.ts"() {
    "use strict";
    init_row_mappers();
  }
});

// src/storage/sql/ready-steps.ts
async function readySteps(db, runId) {
  const rows = await db.selectFrom("run_steps").select("step_key").where("run_id", "=", runId).where("status", "=", "PENDING").where("waiting", "=", 0).orderBy("step_key").execute();
  return rows.map((row) => row.step_key);
}
var init_ready_steps = __esm({
  "src/storage/sql/ready-steps.ts"() {
    "use strict";
  }
});

// src/storage/sql/release-asset-lock.ts
function releaseAssetLock(qb, runId, stepKey) {
  return qb.deleteFrom("asset_locks").where("asset_key", "=", (eb) => eb.selectFrom("ended").select("ended.asset_key")).where("run_id", "=", runId).where("step_key", "=", stepKey).returning("asset_key");
}
var init_release_asset_lock = __esm({
  "src/storage/sql/release-asset-lock.ts"() {
    "use strict";
  }
});

// src/storage/sql/retry-step.ts
import { sql as sql5 } from "kysely";
async function retryStep(db, runId, stepKey, outcome) {
  const events = outcomeEvents({ runId, stepKey, assetKey: "", checkName: null }, outcome, outcome.retryDelayMs);
  const inserted = await db.with(
    "ended",
    (qb) => qb.updateTable("run_steps").set({ status: "PENDING", ended_at: outcome.at, error: outcome.error ? JSON.stringify(outcome.error) : null }).where("run_id", "=", runId).where("step_key", "=", stepKey).where("status", "=", "RUNNING").where("attempt", "=", outcome.attempt).returning("asset_key")
  ).with("released", (qb) => releaseAssetLock(qb, runId, stepKey)).with(
    "run",
    (qb) => qb.selectFrom("runs").select("runs.id").where("runs.id", "=", runId).where((eb) => eb.exists(eb.selectFrom("ended").select("ended.asset_key"))).where((eb) => eb(eb.selectFrom("released").select((eb2) => eb2.fn.countAll().as("n")), ">=", 0)).forNoKeyUpdate()
  ).insertInto("events").columns(EVENT_COLUMNS).expression((eb) => eb.selectFrom(["run", jsonEvents(events)]).select(jsonEventColumns()).orderBy(sql5`e.ordinality`)).returning("id").execute();
  return inserted.length > 0;
}
var init_retry_step = __esm({
  "src/storage/sql/retry-step.ts"() {
    "use strict";
    init_json_events();
    init_outcome_events();
    init_release_asset_lock();
  }
});

// src/storage/sql/run-configs.ts
import { sql as sql6 } from "kysely";
async function putRunConfig(db, name, body, at) {
  return db.transaction().execute(async (trx) => {
    await sql6`select pg_advisory_xact_lock(hashtext(${`sluice.run_configs:${name}`}))`.execute(trx);
    const row = await trx.insertInto("run_configs").columns(["name", "version", "body", "created_at"]).expression(
      (eb) => eb.selectFrom("run_configs").select([
        eb.cast(eb.val(name), "text").as("name"),
        sql6`coalesce(max(version), 0) + 1`.as("version"),
        eb.cast(eb.val(JSON.stringify(body)), "jsonb").as("body"),
        eb.cast(eb.val(at), "timestamptz").as("created_at")
      ]).where("name", "=", name)
    ).returningAll().executeTakeFirstOrThrow();
    return toRunConfigRecord(row);
  });
}
async function getRunConfig(db, name, version) {
  let query = db.selectFrom("run_configs").selectAll().where("name", "=", name);
  query = version === void 0 ? query.orderBy("version", "desc").limit(1) : query.where("version", "=", version);
  const row = await query.executeTakeFirst();
  return row && toRunConfigRecord(row);
}
async function listRunConfigs(db) {
  const rows = await db.selectFrom("run_configs").select(["name", sql6`max(version)`.as("latest_version"), sql6`max(created_at)`.as("updated_at")]).groupBy("name").orderBy("name").execute();
  return rows.map((row) => ({ name: row.name, latestVersion: Number(row.latest_version), updatedAt: new Date(row.updated_at) }));
}
var init_run_configs = __esm({
  "src/storage/sql/run-configs.ts"() {
    "use strict";
    init_row_mappers();
  }
});

// src/storage/sql/run-step-stats.ts
import { sql as sql7 } from "kysely";
function empty() {
  const stepCounts = Object.fromEntries(STEP_STATUSES.map((status) => [status, 0]));
  return { attempts: 0, retries: 0, failures: 0, workers: [], stepCounts };
}
async function runStepStats(db, runIds) {
  const stats = new Map(runIds.map((id) => [id, empty()]));
  if (runIds.length === 0) return stats;
  const countOf = (status) => sql7`count(*) filter (where status = ${status})`;
  const rows = await db.selectFrom("run_steps").select([
    "run_id",
    sql7`sum(attempt)`.as("attempts"),
    sql7`sum(greatest(attempt - 1, 0))`.as("retries"),
    sql7`array_agg(distinct worker order by worker) filter (where worker is not null)`.as("workers"),
    countOf("PENDING").as("pending"),
    countOf("RUNNING").as("running"),
    countOf("SUCCEEDED").as("succeeded"),
    countOf("FAILED").as("failed"),
    countOf("SKIPPED").as("skipped"),
    countOf("CANCELED").as("canceled")
  ]).where("run_id", "in", [...new Set(runIds)]).groupBy("run_id").execute();
  for (const row of rows) {
    const stepCounts = {
      PENDING: Number(row.pending),
      RUNNING: Number(row.running),
      SUCCEEDED: Number(row.succeeded),
      FAILED: Number(row.failed),
      SKIPPED: Number(row.skipped),
      CANCELED: Number(row.canceled)
    };
    stats.set(row.run_id, {
      attempts: Number(row.attempts ?? 0),
      retries: Number(row.retries ?? 0),
      failures: stepCounts.FAILED,
      workers: row.workers ?? [],
      stepCounts
    });
  }
  return stats;
}
var STEP_STATUSES;
var init_run_step_stats = __esm({
  "src/storage/sql/run-step-stats.ts"() {
    "use strict";
    STEP_STATUSES = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "SKIPPED", "CANCELED"];
  }
});

// src/storage/sql/set-queue-reason.ts
async function setQueueReason(db, runId, reason) {
  await db.updateTable("runs").set({ queue_reason: reason }).where("id", "=", runId).where("status", "=", "QUEUED").execute();
}
var init_set_queue_reason = __esm({
  "src/storage/sql/set-queue-reason.ts"() {
    "use strict";
  }
});

// src/core/run/run-status.ts
function isTerminalRunStatus(status) {
  return TERMINAL_RUN_STATUSES.includes(status);
}
var TERMINAL_RUN_STATUSES;
var init_run_status = __esm({
  "src/core/run/run-status.ts"() {
    "use strict";
    TERMINAL_RUN_STATUSES = ["SUCCESS", "FAILURE", "CANCELED"];
  }
});

// src/storage/sql/set-run-status.ts
async function setRunStatus(db, id, status, at, error) {
  const from = ALLOWED_FROM[status];
  if (from.length === 0) return false;
  const data = status === "FAILURE" && error ? { error } : {};
  const inserted = await db.with(
    "moved",
    (qb) => qb.updateTable("runs").set({
      status,
      queue_reason: null,
      ...status === "STARTED" ? { started_at: at } : {},
      ...isTerminalRunStatus(status) ? { ended_at: at } : {},
      ...error ? { error: JSON.stringify(error) } : {}
    }).where("id", "=", id).where("status", "in", from).returning("id")
  ).insertInto("events").columns(["run_id", "step_key", "type", "at", "data"]).expression(
    (eb) => eb.selectFrom("moved").select([
      "moved.id",
      eb.cast(eb.val(null), "text").as("step_key"),
      eb.cast(eb.val(`RUN_${status}`), "text").as("type"),
      eb.cast(eb.val(at), "timestamptz").as("at"),
      eb.cast(eb.val(JSON.stringify(data)), "jsonb").as("data")
    ])
  ).returning("id").execute();
  return inserted.length > 0;
}
var ALLOWED_FROM;
var init_set_run_status = __esm({
  "src/storage/sql/set-run-status.ts"() {
    "use strict";
    init_run_status();
    ALLOWED_FROM = {
      QUEUED: [],
      STARTED: ["QUEUED"],
      SUCCESS: ["STARTED"],
      FAILURE: ["STARTED"],
      CANCELING: ["STARTED"],
      CANCELED: ["QUEUED", "STARTED", "CANCELING"]
    };
  }
});

// src/storage/sql/start-step.ts
async function startStep(db, schema, runId, stepKey, attempt, at, worker2) {
  for (; ; ) {
    const [row] = await claimStep(db, schema, runId, stepKey, attempt, at, worker2);
    if (!row || row.asset_key === null) return NOT_PENDING;
    if (row.started) return STARTED;
    const parts = row.partitions ?? [""];
    if (row.kind === "asset" && parts.length > 1) {
      const ranged = await startRangedStep(db, runId, stepKey, attempt, at, worker2);
      if (ranged !== void 0) return ranged;
    }
    const holder = await db.selectFrom("asset_locks").select(["run_id", "step_key"]).where("asset_key", "=", row.asset_key).where("partition_key", "in", parts).orderBy("partition_key").executeTakeFirst();
    if (holder) return { started: false, reason: "asset-busy", holder: { runId: holder.run_id, stepKey: holder.step_key } };
  }
}
async function startRangedStep(db, runId, stepKey, attempt, at, worker2) {
  try {
    return await db.transaction().execute(async (trx) => {
      const step = await trx.selectFrom("run_steps").select(["asset_key", "partitions"]).where("run_id", "=", runId).where("step_key", "=", stepKey).where("status", "=", "PENDING").forNoKeyUpdate().executeTakeFirst();
      if (!step) return NOT_PENDING;
      const keys = [...new Set(step.partitions ?? [""])].sort();
      const taken = await trx.insertInto("asset_locks").values(keys.map((key) => ({ asset_key: step.asset_key, partition_key: key, run_id: runId, step_key: stepKey, worker: worker2, acquired_at: at }))).onConflict(
        (oc) => oc.columns(["asset_key", "partition_key"]).doUpdateSet((eb) => ({ worker: eb.ref("excluded.worker"), acquired_at: eb.ref("excluded.acquired_at") })).where("asset_locks.run_id", "=", runId).where("asset_locks.step_key", "=", stepKey)
      ).returning("partition_key").execute();
      if (taken.length < keys.length) throw new Busy();
      await trx.updateTable("run_steps").set({ status: "RUNNING", attempt, started_at: at, ended_at: null, error: null, worker: worker2 }).where("run_id", "=", runId).where("step_key", "=", stepKey).execute();
      return STARTED;
    });
  } catch (error) {
    if (error instanceof Busy) return void 0;
    throw error;
  }
}
function claimStep(db, schema, runId, stepKey, attempt, at, worker2) {
  const q = new SqlText(schema);
  const run2 = q.bind(runId, "text");
  const step = q.bind(stepKey, "text");
  const when = q.bind(at, "timestamptz");
  const by = q.bind(worker2, "text");
  return q.execute(
    db,
    `with claimed as (
       select kind, asset_key, partitions from ${q.table("run_steps")}
       where run_id = ${run2} and step_key = ${step} and status = 'PENDING'
       for no key update
     ),
     taken as (
       insert into ${q.table("asset_locks")} as l (asset_key, partition_key, run_id, step_key, worker, acquired_at)
       select asset_key, coalesce(partitions[1], ''), ${run2}, ${step}, ${by}, ${when} from claimed
       where kind = 'asset' and coalesce(cardinality(partitions), 0) <= 1
       on conflict (asset_key, partition_key) do update set worker = excluded.worker, acquired_at = excluded.acquired_at
         where l.run_id = ${run2} and l.step_key = ${step}
       returning asset_key
     ),
     started as (
       update ${q.table("run_steps")}
       set status = 'RUNNING', attempt = ${q.bind(attempt, "integer")}, started_at = ${when}, ended_at = null, error = null, worker = ${by}
       where run_id = ${run2} and step_key = ${step} and status = 'PENDING'
         and (exists (select from claimed where kind = 'check') or exists (select from taken))
       returning step_key
     )
     select (select asset_key from claimed) as asset_key, (select kind from claimed) as kind, (select partitions from claimed) as partitions, exists (select from started) as started,
            set_config('synchronous_commit', 'off', true) as async_commit`
  );
}
var STARTED, NOT_PENDING, Busy;
var init_start_step = __esm({
  "src/storage/sql/start-step.ts"() {
    "use strict";
    init_sql_text();
    STARTED = { started: true };
    NOT_PENDING = { started: false, reason: "not-pending" };
    Busy = class extends Error {
    };
  }
});

// src/storage/sql/schedule-states.ts
function toScheduleState(row) {
  return { name: row.name, status: row.status, startedAt: row.started_at, cursor: row.cursor, updatedAt: row.updated_at };
}
async function ensureScheduleState(db, name, defaultStatus, at) {
  await db.insertInto("schedule_states").values({ name, status: defaultStatus, started_at: defaultStatus === "RUNNING" ? at : null, cursor: null, updated_at: at }).onConflict((oc) => oc.column("name").doNothing()).execute();
  return await getScheduleState(db, name);
}
async function setScheduleStatus(db, name, status, at) {
  const row = await db.insertInto("schedule_states").values({ name, status, started_at: status === "RUNNING" ? at : null, cursor: null, updated_at: at }).onConflict(
    (oc) => oc.column("name").doUpdateSet((eb) => ({
      status: eb.ref("excluded.status"),
      started_at: status === "RUNNING" ? eb.case().when("schedule_states.status", "=", "RUNNING").then(eb.ref("schedule_states.started_at")).else(eb.ref("excluded.started_at")).end() : eb.ref("schedule_states.started_at"),
      updated_at: eb.ref("excluded.updated_at")
    }))
  ).returningAll().executeTakeFirstOrThrow();
  return toScheduleState(row);
}
async function getScheduleState(db, name) {
  const row = await db.selectFrom("schedule_states").selectAll().where("name", "=", name).executeTakeFirst();
  return row ? toScheduleState(row) : void 0;
}
async function listScheduleStates(db) {
  return (await db.selectFrom("schedule_states").selectAll().orderBy("name").execute()).map(toScheduleState);
}
async function advanceScheduleCursor(db, name, cursor, at) {
  await db.updateTable("schedule_states").set({ cursor, updated_at: at }).where("name", "=", name).where((eb) => eb.or([eb("cursor", "is", null), eb("cursor", "<", cursor)])).execute();
}
var init_schedule_states = __esm({
  "src/storage/sql/schedule-states.ts"() {
    "use strict";
  }
});

// src/storage/sql/schedule-ticks.ts
function toTickRecord(row) {
  return {
    id: Number(row.id),
    schedule: row.schedule,
    scheduledFor: row.scheduled_for,
    status: row.status,
    runId: row.run_id,
    reason: row.reason,
    error: row.error,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    endedAt: row.ended_at
  };
}
async function claimTick(db, tick) {
  const row = await db.insertInto("schedule_ticks").values({ schedule: tick.schedule, scheduled_for: tick.scheduledFor, status: "STARTED", claimed_by: tick.claimedBy, claimed_at: tick.at }).onConflict((oc) => oc.columns(["schedule", "scheduled_for"]).doNothing()).returningAll().executeTakeFirst();
  return row ? toTickRecord(row) : void 0;
}
async function finishTick(db, id, outcome, at) {
  const result = await db.updateTable("schedule_ticks").set({
    status: outcome.status,
    run_id: outcome.status === "SUCCESS" ? outcome.runId : null,
    reason: outcome.status === "SKIPPED" ? outcome.reason : null,
    error: outcome.status === "FAILURE" ? JSON.stringify(outcome.error) : null,
    ended_at: at
  }).where("id", "=", id).where("status", "=", "STARTED").executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
async function listTicks(db, schedule, options = {}) {
  let query = db.selectFrom("schedule_ticks").selectAll().where("schedule", "=", schedule);
  if (options.statuses && options.statuses.length > 0) query = query.where("status", "in", [...options.statuses]);
  const rows = await query.orderBy("scheduled_for", "desc").limit(options.limit ?? 100).execute();
  return rows.map(toTickRecord);
}
var init_schedule_ticks = __esm({
  "src/storage/sql/schedule-ticks.ts"() {
    "use strict";
  }
});

// src/storage/kysely-instance.ts
var KyselyInstance;
var init_kysely_instance = __esm({
  "src/storage/kysely-instance.ts"() {
    "use strict";
    init_append_events();
    init_asset_partitions();
    init_backfills();
    init_asset_locks();
    init_asset_cursors();
    init_cancel_pending_steps();
    init_check_results();
    init_create_run();
    init_finish_step();
    init_heartbeats();
    init_leases();
    init_list_events();
    init_list_runs();
    init_list_steps();
    init_materializations();
    init_ready_steps();
    init_unfinished_step_count();
    init_retry_step();
    init_run_configs();
    init_run_step_stats();
    init_set_queue_reason();
    init_set_run_status();
    init_start_step();
    init_schedule_states();
    init_schedule_ticks();
    KyselyInstance = class {
      dialect;
      #db;
      #schema;
      #close;
      /** `db` is bound to `schema` (the hand-written statements of ./sql/ qualify their tables with it); `close` releases the connection(s): the unscoped Kysely's destroy. */
      constructor(db, schema, dialect, close) {
        this.#db = db;
        this.#schema = schema;
        this.dialect = dialect;
        this.#close = close;
      }
      createRun(run2) {
        return createRun(this.#db, run2);
      }
      getRun(id) {
        return getRun(this.#db, id);
      }
      listRuns(options) {
        return listRuns(this.#db, options);
      }
      runStepStats(runIds) {
        return runStepStats(this.#db, runIds);
      }
      setRunStatus(id, status, at, error) {
        return setRunStatus(this.#db, id, status, at, error);
      }
      listSteps(runId) {
        return listSteps(this.#db, runId);
      }
      unfinishedStepCount(runId) {
        return unfinishedStepCount(this.#db, runId);
      }
      readySteps(runId) {
        return readySteps(this.#db, runId);
      }
      startStep(runId, stepKey, attempt, at, worker2) {
        return startStep(this.#db, this.#schema, runId, stepKey, attempt, at, worker2);
      }
      finishStep(runId, stepKey, outcome) {
        return finishStep(this.#db, this.#schema, runId, stepKey, outcome);
      }
      getCursor(assetKey, partitionKey) {
        return getCursor(this.#db, assetKey, partitionKey);
      }
      retryStep(runId, stepKey, outcome) {
        return retryStep(this.#db, runId, stepKey, outcome);
      }
      cancelPendingSteps(runId, at) {
        return cancelPendingSteps(this.#db, runId, at);
      }
      listAssetLocks() {
        return listAssetLocks(this.#db);
      }
      setQueueReason(runId, reason) {
        return setQueueReason(this.#db, runId, reason);
      }
      heartbeat(beat) {
        return heartbeat(this.#db, beat);
      }
      listHeartbeats() {
        return listHeartbeats(this.#db);
      }
      removeHeartbeat(id) {
        return removeHeartbeat(this.#db, id);
      }
      acquireLease(name, holder, ttlMs, at) {
        return acquireLease(this.#db, name, holder, ttlMs, at);
      }
      getLease(name) {
        return getLease(this.#db, name);
      }
      releaseLease(name, holder) {
        return releaseLease(this.#db, name, holder);
      }
      createBackfill(backfill2, runs) {
        return createBackfill(this.#db, backfill2, runs);
      }
      getBackfill(id) {
        return getBackfill(this.#db, id);
      }
      listBackfills(options) {
        return listBackfills(this.#db, options);
      }
      listBackfillRuns(id) {
        return listBackfillRuns(this.#db, id);
      }
      requestBackfillCancel(id, at) {
        return requestBackfillCancel(this.#db, id, at);
      }
      finishBackfillIfDone(id, at) {
        return finishBackfillIfDone(this.#db, id, at);
      }
      assetPartitions(assetKeys) {
        return assetPartitions(this.#db, assetKeys);
      }
      appendEvents(events) {
        return appendEvents(this.#db, events);
      }
      listEvents(runId, options) {
        return listEvents(this.#db, runId, options);
      }
      latestMaterializations(assetKeys) {
        return latestMaterializations(this.#db, assetKeys);
      }
      materializations(assetKey, options) {
        return materializationHistory(this.#db, assetKey, options);
      }
      checkResults(filter) {
        return checkResults(this.#db, filter);
      }
      latestCheckResults(assetKeys) {
        return latestCheckResults(this.#db, assetKeys);
      }
      putRunConfig(name, body, at) {
        return putRunConfig(this.#db, name, body, at);
      }
      getRunConfig(name, version) {
        return getRunConfig(this.#db, name, version);
      }
      listRunConfigs() {
        return listRunConfigs(this.#db);
      }
      ensureScheduleState(name, defaultStatus, at) {
        return ensureScheduleState(this.#db, name, defaultStatus, at);
      }
      setScheduleStatus(name, status, at) {
        return setScheduleStatus(this.#db, name, status, at);
      }
      getScheduleState(name) {
        return getScheduleState(this.#db, name);
      }
      listScheduleStates() {
        return listScheduleStates(this.#db);
      }
      advanceScheduleCursor(name, cursor, at) {
        return advanceScheduleCursor(this.#db, name, cursor, at);
      }
      claimTick(tick) {
        return claimTick(this.#db, tick);
      }
      finishTick(id, outcome, at) {
        return finishTick(this.#db, id, outcome, at);
      }
      listTicks(schedule, options) {
        return listTicks(this.#db, schedule, options);
      }
      close() {
        return this.#close();
      }
    };
  }
});

// src/storage/migrations/initial-schema.ts
import { sql as sql8 } from "kysely";
var initialSchema;
var init_initial_schema = __esm({
  "src/storage/migrations/initial-schema.ts"() {
    "use strict";
    initialSchema = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db) {
        await db.schema.createTable("runs").addColumn("id", "text", (c) => c.primaryKey()).addColumn("status", "text", (c) => c.notNull()).addColumn("selection", "text", (c) => c.notNull()).addColumn("trigger", "text", (c) => c.notNull()).addColumn("tags", "jsonb", (c) => c.notNull().defaultTo(sql8`'{}'::jsonb`)).addColumn("config", "jsonb", (c) => c.notNull().defaultTo(sql8`'{}'::jsonb`)).addColumn("config_name", "text").addColumn("config_version", "integer").addColumn("created_at", "timestamptz", (c) => c.notNull()).addColumn("started_at", "timestamptz").addColumn("ended_at", "timestamptz").addColumn("error", "jsonb").execute();
        await db.schema.createIndex("runs_created_at_idx").on("runs").columns(["created_at desc", "id desc"]).execute();
        await db.schema.createIndex("runs_status_created_at_idx").on("runs").columns(["status", "created_at desc"]).execute();
        await db.schema.createTable("run_steps").addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade")).addColumn("step_key", "text", (c) => c.notNull()).addColumn("kind", "text", (c) => c.notNull()).addColumn("asset_key", "text", (c) => c.notNull()).addColumn("check_name", "text").addColumn("position", "integer", (c) => c.notNull()).addColumn("deps", sql8`text[]`, (c) => c.notNull()).addColumn("children", sql8`text[]`, (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull()).addColumn("attempt", "integer", (c) => c.notNull().defaultTo(0)).addColumn("started_at", "timestamptz").addColumn("ended_at", "timestamptz").addColumn("error", "jsonb").addColumn("worker", "text").addPrimaryKeyConstraint("run_steps_pkey", ["run_id", "step_key"]).execute();
        await db.schema.createIndex("run_steps_run_id_status_idx").on("run_steps").columns(["run_id", "status"]).execute();
        await db.schema.createTable("events").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade")).addColumn("step_key", "text").addColumn("type", "text", (c) => c.notNull()).addColumn("at", "timestamptz", (c) => c.notNull()).addColumn("data", "jsonb", (c) => c.notNull()).execute();
        await db.schema.createIndex("events_run_id_id_idx").on("events").columns(["run_id", "id"]).execute();
        await db.schema.createTable("materializations").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("asset_key", "text", (c) => c.notNull()).addColumn("run_id", "text", (c) => c.notNull()).addColumn("step_key", "text", (c) => c.notNull()).addColumn("metadata", "jsonb", (c) => c.notNull()).addColumn("data_version", "text").addColumn("at", "timestamptz", (c) => c.notNull()).execute();
        await db.schema.createIndex("materializations_asset_key_id_idx").on("materializations").columns(["asset_key", "id desc"]).execute();
        await db.schema.createTable("check_results").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("run_id", "text", (c) => c.notNull()).addColumn("asset_key", "text", (c) => c.notNull()).addColumn("check_name", "text", (c) => c.notNull()).addColumn("passed", "boolean", (c) => c.notNull()).addColumn("severity", "text", (c) => c.notNull()).addColumn("blocking", "boolean", (c) => c.notNull()).addColumn("metadata", "jsonb", (c) => c.notNull()).addColumn("description", "text").addColumn("at", "timestamptz", (c) => c.notNull()).execute();
        await db.schema.createIndex("check_results_asset_key_id_idx").on("check_results").columns(["asset_key", "id desc"]).execute();
        await db.schema.createIndex("check_results_run_id_id_idx").on("check_results").columns(["run_id", "id desc"]).execute();
        await db.schema.createTable("run_configs").addColumn("name", "text", (c) => c.notNull()).addColumn("version", "integer", (c) => c.notNull()).addColumn("body", "jsonb", (c) => c.notNull()).addColumn("created_at", "timestamptz", (c) => c.notNull()).addPrimaryKeyConstraint("run_configs_pkey", ["name", "version"]).execute();
      }
    };
  }
});

// src/storage/migrations/locks-heartbeats-leases.ts
var locksHeartbeatsLeases;
var init_locks_heartbeats_leases = __esm({
  "src/storage/migrations/locks-heartbeats-leases.ts"() {
    "use strict";
    locksHeartbeatsLeases = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db) {
        await db.schema.createTable("asset_locks").addColumn("asset_key", "text", (c) => c.primaryKey()).addColumn("run_id", "text", (c) => c.notNull()).addColumn("step_key", "text", (c) => c.notNull()).addColumn("worker", "text", (c) => c.notNull()).addColumn("acquired_at", "timestamptz", (c) => c.notNull()).execute();
        await db.schema.createTable("heartbeats").addColumn("id", "text", (c) => c.primaryKey()).addColumn("kind", "text", (c) => c.notNull()).addColumn("host", "text", (c) => c.notNull()).addColumn("pid", "integer", (c) => c.notNull()).addColumn("started_at", "timestamptz", (c) => c.notNull()).addColumn("at", "timestamptz", (c) => c.notNull()).addColumn("info", "jsonb", (c) => c.notNull()).execute();
        await db.schema.createTable("leases").addColumn("name", "text", (c) => c.primaryKey()).addColumn("holder", "text", (c) => c.notNull()).addColumn("expires_at", "timestamptz", (c) => c.notNull()).execute();
        await db.schema.alterTable("runs").addColumn("queue_reason", "text").execute();
      }
    };
  }
});

// src/storage/migrations/run-counters.ts
import { sql as sql9 } from "kysely";
var runCounters;
var init_run_counters = __esm({
  "src/storage/migrations/run-counters.ts"() {
    "use strict";
    runCounters = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db) {
        await db.schema.alterTable("run_steps").addColumn("waiting", "integer", (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable("runs").addColumn("unfinished", "integer", (c) => c.notNull().defaultTo(0)).execute();
        await db.updateTable("run_steps as s").set((eb) => ({
          waiting: eb.selectFrom("run_steps as d").select(sql9`count(*)::integer`.as("n")).whereRef("d.run_id", "=", "s.run_id").where("d.step_key", "=", eb.fn.any("s.deps")).where("d.status", "<>", "SUCCEEDED")
        })).where((eb) => eb(eb.fn("cardinality", ["s.deps"]), ">", 0)).execute();
        await db.updateTable("runs as r").set((eb) => ({
          unfinished: eb.selectFrom("run_steps as s").select(sql9`count(*)::integer`.as("n")).whereRef("s.run_id", "=", "r.id").where("s.status", "in", ["PENDING", "RUNNING"])
        })).execute();
        await db.schema.createIndex("run_steps_ready_idx").on("run_steps").columns(["run_id", "step_key"]).where(sql9.ref("status"), "=", "PENDING").where(sql9.ref("waiting"), "=", 0).execute();
      }
    };
  }
});

// src/storage/migrations/schedules-ticks.ts
var schedulesTicks;
var init_schedules_ticks = __esm({
  "src/storage/migrations/schedules-ticks.ts"() {
    "use strict";
    schedulesTicks = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db) {
        await db.schema.createTable("schedule_states").addColumn("name", "text", (c) => c.primaryKey()).addColumn("status", "text", (c) => c.notNull()).addColumn("started_at", "timestamptz").addColumn("cursor", "timestamptz").addColumn("updated_at", "timestamptz", (c) => c.notNull()).execute();
        await db.schema.createTable("schedule_ticks").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("schedule", "text", (c) => c.notNull()).addColumn("scheduled_for", "timestamptz", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull()).addColumn("run_id", "text").addColumn("reason", "text").addColumn("error", "jsonb").addColumn("claimed_by", "text", (c) => c.notNull()).addColumn("claimed_at", "timestamptz", (c) => c.notNull()).addColumn("ended_at", "timestamptz").addUniqueConstraint("schedule_ticks_schedule_scheduled_for_key", ["schedule", "scheduled_for"]).execute();
      }
    };
  }
});

// src/storage/migrations/asset-cursors.ts
var assetCursors;
var init_asset_cursors2 = __esm({
  "src/storage/migrations/asset-cursors.ts"() {
    "use strict";
    assetCursors = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db) {
        await db.schema.createTable("asset_cursors").addColumn("asset_key", "text", (c) => c.notNull()).addColumn("partition_key", "text", (c) => c.notNull().defaultTo("")).addColumn("value", "jsonb", (c) => c.notNull()).addColumn("run_id", "text", (c) => c.notNull()).addColumn("step_key", "text", (c) => c.notNull()).addColumn("updated_at", "timestamptz", (c) => c.notNull()).addPrimaryKeyConstraint("asset_cursors_pkey", ["asset_key", "partition_key"]).execute();
      }
    };
  }
});

// src/storage/migrations/partitions-backfills.ts
import { sql as sql10 } from "kysely";
var partitionsBackfills;
var init_partitions_backfills = __esm({
  "src/storage/migrations/partitions-backfills.ts"() {
    "use strict";
    partitionsBackfills = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db) {
        await db.schema.alterTable("runs").addColumn("partition", "text").execute();
        await db.schema.alterTable("runs").addColumn("backfill_id", "text").execute();
        await db.schema.createIndex("runs_backfill_id_idx").on("runs").columns(["backfill_id", "created_at"]).where(sql10.ref("backfill_id"), "is not", null).execute();
        await db.schema.alterTable("run_steps").addColumn("partitions", sql10`text[]`).execute();
        await db.schema.alterTable("materializations").addColumn("partition_key", "text").execute();
        await db.schema.alterTable("materializations").addColumn("code_version", "text").execute();
        await db.schema.createIndex("materializations_asset_partition_id_idx").on("materializations").columns(["asset_key", "partition_key", "id desc"]).execute();
        await db.schema.alterTable("check_results").addColumn("partition_key", "text").execute();
        await db.schema.alterTable("asset_locks").addColumn("partition_key", "text", (c) => c.notNull().defaultTo("")).execute();
        await db.schema.alterTable("asset_locks").dropConstraint("asset_locks_pkey").execute();
        await db.schema.alterTable("asset_locks").addPrimaryKeyConstraint("asset_locks_pkey", ["asset_key", "partition_key"]).execute();
        await db.schema.createTable("asset_partitions").addColumn("asset_key", "text", (c) => c.notNull()).addColumn("partition_key", "text", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull()).addColumn("run_id", "text", (c) => c.notNull()).addColumn("step_key", "text", (c) => c.notNull()).addColumn("materialized_at", "timestamptz").addColumn("code_version", "text").addColumn("updated_at", "timestamptz", (c) => c.notNull()).addPrimaryKeyConstraint("asset_partitions_pkey", ["asset_key", "partition_key"]).execute();
        await db.schema.createTable("backfills").addColumn("id", "text", (c) => c.primaryKey()).addColumn("status", "text", (c) => c.notNull()).addColumn("selection", "text", (c) => c.notNull()).addColumn("partition_from", "text", (c) => c.notNull()).addColumn("partition_to", "text", (c) => c.notNull()).addColumn("policy", "text", (c) => c.notNull()).addColumn("max_concurrent_runs", "integer").addColumn("partitions", sql10`text[]`, (c) => c.notNull()).addColumn("run_count", "integer", (c) => c.notNull()).addColumn("trigger", "text", (c) => c.notNull()).addColumn("tags", "jsonb", (c) => c.notNull().defaultTo(sql10`'{}'::jsonb`)).addColumn("created_at", "timestamptz", (c) => c.notNull()).addColumn("ended_at", "timestamptz").execute();
        await db.schema.createIndex("backfills_created_at_idx").on("backfills").columns(["created_at desc", "id desc"]).execute();
      }
    };
  }
});

// src/storage/migrations/static-migration-provider.ts
var MIGRATIONS, MIGRATION_NAMES, StaticMigrationProvider;
var init_static_migration_provider = __esm({
  "src/storage/migrations/static-migration-provider.ts"() {
    "use strict";
    init_initial_schema();
    init_locks_heartbeats_leases();
    init_run_counters();
    init_schedules_ticks();
    init_asset_cursors2();
    init_partitions_backfills();
    MIGRATIONS = {
      "0001_initial_schema": initialSchema,
      "0002_locks_heartbeats_leases": locksHeartbeatsLeases,
      "0003_run_counters": runCounters,
      "0004_schedules_ticks": schedulesTicks,
      "0006_asset_cursors": assetCursors,
      "0007_partitions_backfills": partitionsBackfills
    };
    MIGRATION_NAMES = Object.keys(MIGRATIONS);
    StaticMigrationProvider = class {
      #schema;
      constructor(schema) {
        this.#schema = schema;
      }
      async getMigrations() {
        const schema = this.#schema;
        return Object.fromEntries(
          Object.entries(MIGRATIONS).map(([name, migration]) => [
            name,
            {
              up: (db) => migration.up(db.withSchema(schema)),
              ...migration.down ? { down: (db) => migration.down(db.withSchema(schema)) } : {}
            }
          ])
        );
      }
    };
  }
});

// src/storage/migrations/migrate-to-latest.ts
import { Migrator, sql as sql11 } from "kysely";
async function migrateToLatest(db, schema) {
  if (await isCurrent(db, schema)) return;
  for (let attempt = 1; ; attempt++) {
    const migrator = new Migrator({ db, provider: new StaticMigrationProvider(schema), migrationTableSchema: schema });
    const { error, results } = await migrator.migrateToLatest();
    if (error === void 0) return;
    const code = error.code;
    if (attempt < ATTEMPTS && typeof code === "string" && CATALOG_RACE.has(code)) {
      await new Promise((resolve6) => setTimeout(resolve6, 50 * attempt));
      continue;
    }
    const failed = results?.find((result) => result.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SluiceError(
      "STORAGE_MIGRATION_FAILED",
      `migrating the run store (schema "${schema}")${failed ? ` failed at ${failed}` : " failed"}: ${reason}`,
      { schema, migration: failed ?? null },
      { kind: "internal", cause: error }
    );
  }
}
async function isCurrent(db, schema) {
  try {
    const table2 = sql11.table(`${schema}.kysely_migration`);
    const { rows } = await sql11`select name from ${table2}`.execute(db);
    const applied = new Set(rows.map((row) => row.name));
    return MIGRATION_NAMES.every((name) => applied.has(name)) && applied.size === MIGRATION_NAMES.length;
  } catch {
    return false;
  }
}
var CATALOG_RACE, ATTEMPTS;
var init_migrate_to_latest = __esm({
  "src/storage/migrations/migrate-to-latest.ts"() {
    "use strict";
    init_errors();
    init_static_migration_provider();
    CATALOG_RACE = /* @__PURE__ */ new Set(["3F000", "42P01"]);
    ATTEMPTS = 5;
  }
});

// src/storage/storage-unavailable-error.ts
var StorageUnavailableError;
var init_storage_unavailable_error = __esm({
  "src/storage/storage-unavailable-error.ts"() {
    "use strict";
    init_errors();
    StorageUnavailableError = class extends SluiceError {
      constructor(target, reason, hint, cause) {
        super("STORAGE_UNAVAILABLE", `cannot open the run store at ${target} (${reason}): ${hint}`, { target, reason }, { cause });
      }
    };
  }
});

// src/storage/pglite/create-pglite.ts
import { existsSync as existsSync2 } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join as join2 } from "node:path";
function templatePath(env = process.env) {
  const dir = env.SLUICE_CACHE_DIR ?? join2(env.XDG_CACHE_HOME ?? join2(homedir(), ".cache"), "sluice");
  return join2(dir, TEMPLATE);
}
async function createPglite(dataDir, env = process.env) {
  const { PGlite } = await import("@electric-sql/pglite");
  if (dataDir !== void 0 && existsSync2(join2(dataDir, "PG_VERSION"))) return PGlite.create(dataDir);
  if (env.SLUICE_PGLITE_TEMPLATE === "off") return PGlite.create(dataDir);
  const path = templatePath(env);
  const dump = await readFile(path).catch(() => void 0);
  if (dump) {
    try {
      return await PGlite.create(dataDir, { loadDataDir: new Blob([dump]) });
    } catch {
      await rm(path, { force: true });
      if (dataDir !== void 0) await emptyDir(dataDir);
    }
  }
  const pglite = await PGlite.create(dataDir);
  await saveTemplate(pglite, path).catch(() => {
  });
  return pglite;
}
async function saveTemplate(pglite, path) {
  const dump = await pglite.dumpDataDir("none");
  const dir = join2(path, "..");
  await mkdir(dir, { recursive: true, mode: 448 });
  const partial = `${path}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()), { mode: 384 });
  await rename(partial, path);
}
async function emptyDir(dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}
var TEMPLATE;
var init_create_pglite = __esm({
  "src/storage/pglite/create-pglite.ts"() {
    "use strict";
    TEMPLATE = "pglite-0.5.16-initdb.tar";
  }
});

// src/storage/pglite/connection-mutex.ts
var ConnectionMutex;
var init_connection_mutex = __esm({
  "src/storage/pglite/connection-mutex.ts"() {
    "use strict";
    ConnectionMutex = class {
      #locked = false;
      #waiters = [];
      /** Resolves once the caller holds the lock. */
      async lock() {
        if (!this.#locked) {
          this.#locked = true;
          return;
        }
        await new Promise((resolve6) => this.#waiters.push(resolve6));
      }
      /** Hands the lock to the next waiter, or frees it. */
      unlock() {
        const next = this.#waiters.shift();
        if (next) next();
        else this.#locked = false;
      }
    };
  }
});

// src/storage/pglite/pglite-connection.ts
var COUNTED_COMMANDS, PGliteConnection;
var init_pglite_connection = __esm({
  "src/storage/pglite/pglite-connection.ts"() {
    "use strict";
    COUNTED_COMMANDS = /* @__PURE__ */ new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);
    PGliteConnection = class {
      #pglite;
      constructor(pglite) {
        this.#pglite = pglite;
      }
      async executeQuery(compiledQuery) {
        const result = await this.#pglite.query(compiledQuery.sql, [...compiledQuery.parameters]);
        const counted = result.command !== void 0 && COUNTED_COMMANDS.has(result.command.toUpperCase());
        return {
          rows: result.rows,
          ...counted ? { numAffectedRows: BigInt(result.affectedRows ?? 0) } : {}
        };
      }
      /** PGlite has no cursors: the whole result is read, then handed out in chunks. */
      async *streamQuery(compiledQuery, chunkSize = 100) {
        if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error("PGliteConnection: chunkSize must be a positive integer");
        const { rows } = await this.executeQuery(compiledQuery);
        for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
      }
    };
  }
});

// src/storage/pglite/pglite-driver.ts
import { CompiledQuery as CompiledQuery2 } from "kysely";
var PGliteDriver;
var init_pglite_driver = __esm({
  "src/storage/pglite/pglite-driver.ts"() {
    "use strict";
    init_connection_mutex();
    init_pglite_connection();
    PGliteDriver = class {
      #config;
      #mutex = new ConnectionMutex();
      #pglite;
      #connection;
      constructor(config) {
        this.#config = config;
      }
      async init() {
        this.#pglite = typeof this.#config.pglite === "function" ? await this.#config.pglite() : this.#config.pglite;
        this.#connection = new PGliteConnection(this.#pglite);
      }
      async acquireConnection() {
        await this.#mutex.lock();
        if (!this.#connection) {
          this.#mutex.unlock();
          throw new Error("PGliteDriver: the driver has been destroyed");
        }
        return this.#connection;
      }
      async beginTransaction(connection, settings) {
        let statement = "start transaction";
        if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
        if (settings.accessMode) statement += ` ${settings.accessMode}`;
        await connection.executeQuery(CompiledQuery2.raw(statement));
      }
      async commitTransaction(connection) {
        await connection.executeQuery(CompiledQuery2.raw("commit"));
      }
      async rollbackTransaction(connection) {
        await connection.executeQuery(CompiledQuery2.raw("rollback"));
      }
      async releaseConnection() {
        this.#mutex.unlock();
      }
      /** Waits for the current holder of the connection, then closes PGlite. */
      async destroy() {
        if (!this.#pglite) return;
        await this.#mutex.lock();
        const pglite = this.#pglite;
        this.#pglite = void 0;
        this.#connection = void 0;
        try {
          await pglite.close();
        } finally {
          this.#mutex.unlock();
        }
      }
    };
  }
});

// src/storage/pglite/pglite-dialect.ts
import {
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler
} from "kysely";
var PGliteDialect;
var init_pglite_dialect = __esm({
  "src/storage/pglite/pglite-dialect.ts"() {
    "use strict";
    init_pglite_driver();
    PGliteDialect = class {
      #config;
      constructor(config) {
        this.#config = config;
      }
      createDriver() {
        return new PGliteDriver(this.#config);
      }
      createQueryCompiler() {
        return new PostgresQueryCompiler();
      }
      createAdapter() {
        return new PostgresAdapter();
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      createIntrospector(db) {
        return new PostgresIntrospector(db);
      }
    };
  }
});

// src/storage/pglite/open-pglite-kysely.ts
import { mkdir as mkdir2 } from "node:fs/promises";
import { Kysely } from "kysely";
async function openPgliteKysely(dataDir) {
  const target = dataDir ?? "memory";
  try {
    if (dataDir !== void 0) await mkdir2(dataDir, { recursive: true });
    const pglite = await createPglite(dataDir);
    return new Kysely({ dialect: new PGliteDialect({ pglite }) });
  } catch (error) {
    throw new StorageUnavailableError(
      `${target} (PGlite)`,
      error instanceof Error ? error.message : String(error),
      "check that the directory is writable and that no other process has it open; move a damaged store aside to start afresh",
      error
    );
  }
}
var init_open_pglite_kysely = __esm({
  "src/storage/pglite/open-pglite-kysely.ts"() {
    "use strict";
    init_storage_unavailable_error();
    init_create_pglite();
    init_pglite_dialect();
  }
});

// src/storage/postgres/describe-target.ts
function describeTarget(connectionString) {
  let url;
  try {
    url = new URL(connectionString);
  } catch {
    return "the configured Postgres server";
  }
  const host = decodeURIComponent(url.hostname) || url.searchParams.get("host") || "localhost";
  const port = url.port || "5432";
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  return `${host}:${port}${database ? `/${database}` : ""}`;
}
var init_describe_target = __esm({
  "src/storage/postgres/describe-target.ts"() {
    "use strict";
  }
});

// src/storage/postgres/open-postgres-kysely.ts
import { Kysely as Kysely2, PostgresDialect } from "kysely";
async function openPostgresKysely(connectionString) {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  pool.on("error", () => {
  });
  pool.on("connect", (client) => client.on("error", () => {
  }));
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {
    });
    throw new StorageUnavailableError(
      describeTarget(connectionString),
      reasonOf(error),
      "check that Postgres is running (`docker compose up -d postgres`) and that SLUICE_DATABASE_URL points at it",
      error
    );
  }
  return new Kysely2({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}
function reasonOf(error) {
  const inner = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const code = inner.code;
  const message = inner instanceof Error ? inner.message : String(inner);
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  return message || "connection failed";
}
var CONNECT_TIMEOUT_MS;
var init_open_postgres_kysely = __esm({
  "src/storage/postgres/open-postgres-kysely.ts"() {
    "use strict";
    init_storage_unavailable_error();
    init_describe_target();
    init_preparing_pool();
    CONNECT_TIMEOUT_MS = 1e4;
  }
});

// src/storage/open-instance.ts
async function openInstance(options) {
  const schema = options.kind === "postgres" ? checkSchema(options.schema ?? "public") : "public";
  const db = options.kind === "postgres" ? await openPostgresKysely(options.connectionString) : await openPgliteKysely(options.dataDir);
  try {
    await migrateToLatest(db, schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let closing;
  return new KyselyInstance(db.withSchema(schema), schema, options.kind, () => closing ??= db.destroy());
}
function checkSchema(schema) {
  if (SCHEMA_NAME.test(schema)) return schema;
  throw new SluiceError(
    "INVALID_STORAGE_SCHEMA",
    `invalid run store schema "${schema}": use up to 63 letters, digits and "_", not starting with a digit (e.g. "sluice")`,
    { schema }
  );
}
var SCHEMA_NAME;
var init_open_instance = __esm({
  "src/storage/open-instance.ts"() {
    "use strict";
    init_errors();
    init_kysely_instance();
    init_migrate_to_latest();
    init_open_pglite_kysely();
    init_open_postgres_kysely();
    SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
  }
});

// src/storage/index.ts
var init_storage = __esm({
  "src/storage/index.ts"() {
    "use strict";
    init_open_instance();
  }
});

// src/runtime/logger.ts
import { pino } from "pino";
function redactingDestination(redactor, next) {
  if (!redactor) return next;
  return { write: (line) => next.write(redactor.isEmpty ? line : redactor.string(line)) };
}
function createLogger(options = {}) {
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      base: options.bindings ?? {}
    },
    redactingDestination(options.redactor, destination)
  );
}
var REDACT_PATHS;
var init_logger = __esm({
  "src/runtime/logger.ts"() {
    "use strict";
    init_redactor();
    REDACT_PATHS = [
      "password",
      "token",
      "secret",
      "apiKey",
      "authorization",
      "connectionString",
      "*.password",
      "*.token",
      "*.secret",
      "*.apiKey",
      "*.authorization",
      "*.connectionString",
      "headers.authorization",
      "headers.cookie"
    ];
  }
});

// src/runtime/store-lock.ts
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
async function acquireStoreLock(lockPath, waitMs = 5e3) {
  mkdirSync(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (; ; ) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(lockPath, "utf8"));
    } catch {
      continue;
    }
    if (!Number.isInteger(owner) || owner === process.pid || !alive(owner)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new SluiceError(
        "STORE_LOCKED",
        `the embedded run store ${dirname(lockPath)} is in use by another sluice process (pid ${owner}); wait for it to finish, or use a server Postgres (SLUICE_DATABASE_URL) for concurrent access`,
        { lockPath, owner }
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
var init_store_lock = __esm({
  "src/runtime/store-lock.ts"() {
    "use strict";
    init_errors();
  }
});

// src/runtime/runtime.ts
import { existsSync as existsSync3, mkdirSync as mkdirSync2, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join as join3 } from "node:path";
function stateDir(projectDir) {
  const dir = join3(projectDir, ".sluice");
  if (!existsSync3(dir)) {
    mkdirSync2(dir, { recursive: true });
    writeFileSync(join3(dir, ".gitignore"), "*\n");
  }
  return dir;
}
async function openStore(settings) {
  if (settings.databaseUrl) {
    const instance = await openInstance({ kind: "postgres", connectionString: settings.databaseUrl, schema: settings.databaseSchema });
    return { instance, release: () => {
    } };
  }
  const dir = stateDir(settings.projectDir);
  const release = await acquireStoreLock(join3(dir, "runs.lock"));
  try {
    const instance = await openInstance({ kind: "pglite", dataDir: join3(dir, "runs") });
    return { instance, release };
  } catch (error) {
    release();
    throw error;
  }
}
async function openRuntime(settings, options = {}) {
  const project = await loadProject(settings.projectDir);
  const resourceMaps = [...project.graph.assets(), ...project.graph.allChecks()].map((d) => d.resources);
  const secretEnv = [...resourceMaps.flatMap((m) => Object.values(m).flatMap((r) => r.secretEnv)), "SLUICE_DATABASE_URL"];
  const redactor = new Redactor(secretsFromEnv(settings.env, secretEnv));
  const logger = createLogger({
    level: settings.logLevel,
    redactor,
    ...options.logDestination ? { destination: options.logDestination } : {}
  });
  const { instance, release } = await openStore(settings);
  const resources = new ResourceCache(settings.env);
  const worker2 = `${hostname()}:${process.pid}`;
  let closed = false;
  return {
    settings,
    project,
    instance,
    resources,
    redactor,
    logger,
    worker: worker2,
    stepHost: (hostOptions = {}) => ({
      instance,
      graph: project.graph,
      resources,
      redactor,
      worker: worker2,
      logLevel: settings.logLevel,
      now: () => /* @__PURE__ */ new Date(),
      random: Math.random,
      ...hostOptions.logDestination ? { logDestination: hostOptions.logDestination } : {},
      ...hostOptions.onEvent ? { onEvent: hostOptions.onEvent } : {}
    }),
    async close() {
      if (closed) return;
      closed = true;
      for (const error of await resources.closeAll()) logger.warn({ err: error }, "resource failed to close");
      try {
        await instance.close();
      } finally {
        release();
      }
    }
  };
}
var init_runtime = __esm({
  "src/runtime/runtime.ts"() {
    "use strict";
    init_redactor();
    init_resource_cache();
    init_storage();
    init_load_project();
    init_logger();
    init_store_lock();
  }
});

// src/runtime/embedded-daemon.ts
import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync as readFileSync2, rmSync as rmSync2, writeFileSync as writeFileSync2 } from "node:fs";
import { join as join4 } from "node:path";
function fileOf(projectDir) {
  return join4(stateDir(projectDir), "daemon.json");
}
function newApiToken() {
  return randomBytes(24).toString("base64url");
}
function writeDaemonAddress(projectDir, address) {
  const file = fileOf(projectDir);
  writeFileSync2(file, JSON.stringify(address), { mode: 384 });
  chmodSync(file, 384);
  return () => rmSync2(file, { force: true });
}
function readDaemonAddress(projectDir) {
  let address;
  try {
    address = JSON.parse(readFileSync2(fileOf(projectDir), "utf8"));
  } catch {
    return void 0;
  }
  try {
    process.kill(address.pid, 0);
    return address;
  } catch (error) {
    return error.code === "EPERM" ? address : void 0;
  }
}
var init_embedded_daemon = __esm({
  "src/runtime/embedded-daemon.ts"() {
    "use strict";
    init_runtime();
  }
});

// src/execution/asset-partitions.ts
async function loadAssetPartitions(instance, graph, asset, now) {
  if (!graph.has(asset)) throw new UnknownAssetError(asset, graph.keys());
  const def = graph.get(asset).partitions;
  if (!def) {
    throw new SluiceError("UNPARTITIONED_ASSET", `asset "${asset}" is not partitioned; \`sluice assets show ${asset}\` shows its materializations`, { key: asset });
  }
  const [rows, locks] = await Promise.all([instance.assetPartitions([...graph.upstream([asset])]), instance.listAssetLocks()]);
  const states = /* @__PURE__ */ new Map();
  for (const row of rows) {
    let list = states.get(row.assetKey);
    if (!list) states.set(row.assetKey, list = []);
    list.push(row);
  }
  const own = new Map(rows.filter((r) => r.assetKey === asset).map((r) => [r.partitionKey, r]));
  const running = new Map(locks.filter((l) => l.assetKey === asset).map((l) => [l.partitionKey, l]));
  const statuses = partitionStatuses(graph, states, now, asset);
  const counts = { materialized: 0, failed: 0, missing: 0, running: 0 };
  let staleCount = 0;
  const partitions = partitionKeys(def, now).reverse().map((key) => {
    const row = own.get(key);
    const lock = running.get(key);
    const derived = statuses.get(key);
    const stale = derived?.status === "stale";
    const status = lock ? "running" : !row ? "missing" : row.status === "FAILED" ? "failed" : "materialized";
    counts[status]++;
    if (stale) staleCount++;
    return {
      key,
      status,
      stale,
      staleReason: stale ? derived?.reason ?? null : null,
      runId: lock?.runId ?? row?.runId ?? null,
      at: (lock?.acquiredAt ?? row?.updatedAt)?.toISOString() ?? null,
      materializedAt: row?.materializedAt?.toISOString() ?? null
    };
  });
  return { asset, partitionsDefinition: describePartitions(def), counts, stale: staleCount, partitions };
}
var UnknownAssetError;
var init_asset_partitions2 = __esm({
  "src/execution/asset-partitions.ts"() {
    "use strict";
    init_errors();
    init_describe_partitions();
    init_partition_keys();
    init_asset_status();
    init_suggest();
    UnknownAssetError = class extends SluiceError {
      constructor(key, keys) {
        super("UNKNOWN_ASSET", `unknown asset "${key}"${didYouMean(suggest(key, keys))}; run \`sluice assets list\` to see what exists`, { key });
      }
    };
  }
});

// src/execution/asset-statuses.ts
async function loadAssetStatuses(instance, graph, now) {
  const states = /* @__PURE__ */ new Map();
  for (const row of await instance.assetPartitions()) {
    if (!graph.has(row.assetKey)) continue;
    let list = states.get(row.assetKey);
    if (!list) states.set(row.assetKey, list = []);
    list.push(row);
  }
  return assetStatuses(graph, states, now);
}
async function selectWithStatus(instance, graph, text, now) {
  let needsStatus = false;
  try {
    needsStatus = usesStatus(parseSelection(text));
  } catch {
  }
  if (!needsStatus) return selectAssets(text, graph);
  const statuses = await loadAssetStatuses(instance, graph, now);
  return selectAssets(text, graph, { statusOf: (key) => statuses.get(key)?.status ?? "missing" });
}
var init_asset_statuses = __esm({
  "src/execution/asset-statuses.ts"() {
    "use strict";
    init_selection();
    init_asset_status();
  }
});

// src/core/partitions/partition-range.ts
function parsePartitionRange(text) {
  const at = text.indexOf(RANGE_SEPARATOR);
  if (at < 0) return void 0;
  return { from: text.slice(0, at).trim(), to: text.slice(at + RANGE_SEPARATOR.length).trim() };
}
function formatPartitionRange(from, to) {
  return `${from}${RANGE_SEPARATOR}${to}`;
}
var RANGE_SEPARATOR;
var init_partition_range = __esm({
  "src/core/partitions/partition-range.ts"() {
    "use strict";
    RANGE_SEPARATOR = "...";
  }
});

// src/execution/backfill-progress.ts
function backfillProgress(backfill2, runs) {
  const index = new Map(backfill2.partitions.map((key, i) => [key, i]));
  const coveredBy = new Array(backfill2.partitions.length);
  for (const run2 of runs) {
    if (run2.partition === null) continue;
    const range = parsePartitionRange(run2.partition) ?? { from: run2.partition, to: run2.partition };
    const [from, to] = [index.get(range.from), index.get(range.to)];
    if (from === void 0 || to === void 0) continue;
    for (let i = from; i <= to; i++) coveredBy[i] = run2;
  }
  const counts = { done: 0, failed: 0, running: 0, queued: 0, canceled: 0 };
  const partitions = backfill2.partitions.map((key, i) => {
    const run2 = coveredBy[i];
    const state = run2 ? STATE_OF[run2.status] : "queued";
    counts[state]++;
    return { key, state, runId: run2?.runId ?? null };
  });
  return { counts, partitions };
}
var STATE_OF;
var init_backfill_progress = __esm({
  "src/execution/backfill-progress.ts"() {
    "use strict";
    init_partition_range();
    STATE_OF = {
      QUEUED: "queued",
      STARTED: "running",
      CANCELING: "running",
      SUCCESS: "done",
      FAILURE: "failed",
      CANCELED: "canceled"
    };
  }
});

// src/execution/backfill-summary.ts
async function itemOf(instance, record) {
  const progress = backfillProgress(record, await instance.listBackfillRuns(record.id));
  return {
    backfillId: record.id,
    status: record.status,
    selection: record.selection,
    from: record.from,
    to: record.to,
    policy: formatBackfillPolicy(record.policy),
    maxConcurrentRuns: record.maxConcurrentRuns,
    trigger: record.trigger,
    tags: record.tags,
    partitionCount: record.partitions.length,
    runCount: record.runCount,
    createdAt: record.createdAt.toISOString(),
    endedAt: record.endedAt?.toISOString() ?? null,
    counts: progress.counts,
    partitions: progress.partitions
  };
}
async function describeBackfill(instance, id, now = () => /* @__PURE__ */ new Date()) {
  const record = await instance.getBackfill(id);
  if (!record) throw new UnknownBackfillError(id);
  const summary = await itemOf(instance, record);
  const unfinished = record.status === "RUNNING" || record.status === "CANCELING";
  if (unfinished && summary.counts.queued + summary.counts.running === 0) {
    await instance.finishBackfillIfDone(id, now());
    const settled = await instance.getBackfill(id);
    if (settled) return { ...summary, status: settled.status, endedAt: settled.endedAt?.toISOString() ?? null };
  }
  return summary;
}
async function listBackfillItems(instance, options) {
  const records = await instance.listBackfills(options);
  return Promise.all(
    records.map(async (record) => {
      const { partitions: _partitions, ...item } = await itemOf(instance, record);
      return item;
    })
  );
}
var UnknownBackfillError;
var init_backfill_summary = __esm({
  "src/execution/backfill-summary.ts"() {
    "use strict";
    init_errors();
    init_backfill_progress();
    init_backfills();
    UnknownBackfillError = class extends SluiceError {
      constructor(id) {
        super("UNKNOWN_BACKFILL", `no backfill "${id}"; run \`sluice backfill list\` to see what exists`, { backfillId: id });
      }
    };
  }
});

// src/execution/run-summary.ts
function runHeader(run2) {
  return {
    runId: run2.id,
    status: run2.status,
    selection: run2.selection,
    trigger: run2.trigger,
    tags: run2.tags,
    configRef: run2.configRef,
    createdAt: run2.createdAt.toISOString(),
    startedAt: iso(run2.startedAt),
    endedAt: iso(run2.endedAt),
    durationMs: span(run2.startedAt, run2.endedAt),
    error: brief(run2.error),
    queueReason: run2.queueReason,
    partition: run2.partition,
    backfillId: run2.backfillId
  };
}
async function describeRun(instance, runId) {
  const run2 = await instance.getRun(runId);
  if (!run2) throw new UnknownRunError(runId);
  const [steps, checks, materializations] = await Promise.all([
    instance.listSteps(runId),
    instance.checkResults({ runId }),
    instance.listEvents(runId, { types: ["MATERIALIZATION"] })
  ]);
  const matByStep = new Map(materializations.map((e) => [e.stepKey, e]));
  return {
    ...runHeader(run2),
    steps: steps.map((step) => {
      const mat = matByStep.get(step.key);
      const check = step.kind === "check" ? checks.find((c) => c.assetKey === step.assetKey && c.checkName === step.checkName) : void 0;
      return {
        key: step.key,
        kind: step.kind,
        assetKey: step.assetKey,
        checkName: step.checkName,
        status: step.status,
        attempts: step.attempt,
        worker: step.worker,
        startedAt: iso(step.startedAt),
        endedAt: iso(step.endedAt),
        durationMs: span(step.startedAt, step.endedAt),
        error: brief(step.error),
        materialization: mat && mat.type === "MATERIALIZATION" ? { metadata: mat.data.metadata, dataVersion: mat.data.dataVersion ?? null } : null,
        check: check ? { passed: check.passed, severity: check.severity, blocking: check.blocking, metadata: check.metadata, description: check.description } : null
      };
    })
  };
}
var UnknownRunError, iso, span, brief;
var init_run_summary = __esm({
  "src/execution/run-summary.ts"() {
    "use strict";
    init_errors();
    UnknownRunError = class extends SluiceError {
      constructor(runId) {
        super("UNKNOWN_RUN", `no run "${runId}" in this project's run store; \`sluice runs list\` shows the runs`, { runId });
      }
    };
    iso = (d) => d ? d.toISOString() : null;
    span = (a, b) => a && b ? b.getTime() - a.getTime() : null;
    brief = (e) => e ? { name: e.name, message: e.message, ...e.code ? { code: e.code } : {} } : null;
  }
});

// src/execution/run-list-item.ts
async function runListItems(instance, runs) {
  const stats = await instance.runStepStats(runs.map((run2) => run2.id));
  return runs.map((run2) => ({ ...runHeader(run2), ...stats.get(run2.id) }));
}
var init_run_list_item = __esm({
  "src/execution/run-list-item.ts"() {
    "use strict";
    init_run_summary();
  }
});

// src/web/asset-views.ts
function assetView(graph, key) {
  const a = graph.get(key);
  return { key, group: a.group, kinds: a.kinds, tags: a.tags, owners: a.owners, deps: [...a.deps].sort() };
}
function materializationView(m) {
  return { id: m.id, runId: m.runId, stepKey: m.stepKey, metadata: m.metadata, dataVersion: m.dataVersion, at: m.at.toISOString() };
}
function checkResultView(c) {
  return {
    id: c.id,
    runId: c.runId,
    checkName: c.checkName,
    passed: c.passed,
    severity: c.severity,
    blocking: c.blocking,
    metadata: c.metadata,
    description: c.description,
    at: c.at.toISOString()
  };
}
var init_asset_views = __esm({
  "src/web/asset-views.ts"() {
    "use strict";
  }
});

// src/core/plan/env-ref.ts
function envRefName(value) {
  if (typeof value === "string") return STRING_REF.exec(value)?.[1];
  if (value === null || typeof value !== "object" || Array.isArray(value)) return void 0;
  const keys = Object.keys(value);
  const name = value.env;
  return keys.length === 1 && typeof name === "string" && VAR_NAME.test(name) ? name : void 0;
}
function resolve3(value, env, source, path, resolved) {
  const name = envRefName(value);
  if (name !== void 0) {
    const found = env[name];
    if (found === void 0) throw new MissingEnvVarError(name, path, source);
    resolved.push(found);
    return found;
  }
  if (Array.isArray(value)) return value.map((item, i) => resolve3(item, env, source, `${path}[${i}]`, resolved));
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve3(v, env, source, path ? `${path}.${k}` : k, resolved)]));
  }
  return value;
}
function resolveEnvRefs(config, env, source, resolved = []) {
  return resolve3(config, env, source, "", resolved);
}
function normalizeEnvRefs(value) {
  const name = envRefName(value);
  if (name !== void 0) return `env:${name}`;
  if (Array.isArray(value)) return value.map(normalizeEnvRefs);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeEnvRefs(v)]));
  }
  return value;
}
var VAR_NAME, STRING_REF, MissingEnvVarError;
var init_env_ref = __esm({
  "src/core/plan/env-ref.ts"() {
    "use strict";
    init_errors();
    VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
    STRING_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;
    MissingEnvVarError = class extends SluiceError {
      constructor(variable, path, source) {
        const config = source.configRef ? `run config "${source.configRef.name}@${source.configRef.version}"` : "the run config";
        super(
          "MISSING_ENV_VAR",
          `${config} of asset "${source.assetKey}" refers to environment variable ${variable} (at ${path}), which is not set in the process running the step; set it there (every worker that may run the step needs it)`,
          { variable, path, assetKey: source.assetKey, configRef: source.configRef ?? null }
        );
      }
    };
  }
});

// src/core/plan/config-secrets.ts
function walk(value, key, path, where) {
  if (envRefName(value) !== void 0) return;
  if (typeof value === "string") {
    if (key !== void 0 && SECRET_KEY.test(key)) throw new PlainSecretInConfigError(where, path);
    return;
  }
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, key, `${path}[${i}]`, where));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, k, path ? `${path}.${k}` : k, where);
  }
}
function assertNoPlainSecrets(body, where) {
  walk(body, void 0, "", where);
}
var SECRET_KEY, PlainSecretInConfigError;
var init_config_secrets = __esm({
  "src/core/plan/config-secrets.ts"() {
    "use strict";
    init_errors();
    init_env_ref();
    SECRET_KEY = /(password|passwd|secret|token|api[_-]?key|credential|private[_-]?key)/i;
    PlainSecretInConfigError = class extends SluiceError {
      constructor(where, path) {
        super(
          "PLAIN_SECRET_IN_CONFIG",
          `${where}: field "${path}" looks like a secret and holds a plain value; stored configs must not hold secrets: write an env reference instead, {"env": "VAR_NAME"} or "env:VAR_NAME", resolved from the environment of the process running the step`,
          { where, path }
        );
      }
    };
  }
});

// src/core/plan/validate-run-config.ts
function validateRunConfig(graph, selected, raw, where = "run config") {
  if (raw === void 0 || raw === null) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new InvalidRunConfigError(`${where} must be a JSON object keyed by asset key, e.g. {"raw/entries": {"days": 3}}`, { where });
  }
  const entries = raw;
  for (const key of Object.keys(entries)) {
    if (!graph.has(key)) {
      throw new InvalidRunConfigError(`${where} names unknown asset "${key}"${didYouMean(suggest(key, graph.keys()))}`, { where, key });
    }
    if (!selected.has(key)) {
      throw new InvalidRunConfigError(`${where} configures asset "${key}", which is not selected; select it or remove its config`, {
        where,
        key
      });
    }
    if (!graph.get(key).config) {
      throw new InvalidRunConfigError(`${where} configures asset "${key}", which takes no config`, { where, key });
    }
  }
  const parsed = {};
  for (const key of graph.order) {
    if (!selected.has(key)) continue;
    const schema = graph.get(key).config;
    if (!schema) continue;
    const result = schema.safeParse(normalizeEnvRefs(entries[key] ?? {}));
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue.path.map(String).join(".") || "(root)";
      throw new InvalidRunConfigError(`invalid config for asset "${key}" in ${where}: field "${field}": ${issue.message}`, {
        where,
        key,
        field,
        issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
      });
    }
    parsed[key] = result.data;
  }
  return parsed;
}
var InvalidRunConfigError;
var init_validate_run_config = __esm({
  "src/core/plan/validate-run-config.ts"() {
    "use strict";
    init_errors();
    init_suggest();
    init_env_ref();
    InvalidRunConfigError = class extends SluiceError {
      constructor(message, data) {
        super("INVALID_RUN_CONFIG", message, data);
      }
    };
  }
});

// src/core/plan/named-config.ts
function parseConfigRef(text, flag = "--config-name") {
  const at = text.lastIndexOf("@");
  const name = at < 0 ? text : text.slice(0, at);
  const versionText = at < 0 ? void 0 : text.slice(at + 1);
  if (!CONFIG_NAME.test(name)) {
    throw new SluiceError("INVALID_CONFIG_NAME", `${flag} "${text}": a config name uses letters, digits, "_", "." and "-" (NAME or NAME@VERSION)`, { name: text });
  }
  if (versionText === void 0) return { name, version: void 0 };
  if (!/^[1-9][0-9]*$/.test(versionText) || !Number.isSafeInteger(Number(versionText))) {
    throw new SluiceError("INVALID_CONFIG_NAME", `${flag} "${text}": the version after "@" must be a whole number >= 1`, { name: text });
  }
  return { name, version: Number(versionText) };
}
function validateNamedConfig(graph, name, body, where) {
  if (!CONFIG_NAME.test(name)) {
    throw new SluiceError("INVALID_CONFIG_NAME", `config name "${name}" may use only letters, digits, "_", "." and "-"`, { name });
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new InvalidRunConfigError(`${where} must be a JSON object keyed by asset key, e.g. {"raw/entries": {"days": 3}}`, { where });
  }
  assertNoPlainSecrets(body, where);
  validateRunConfig(graph, new Set(Object.keys(body)), body, where);
  return body;
}
var CONFIG_NAME;
var init_named_config = __esm({
  "src/core/plan/named-config.ts"() {
    "use strict";
    init_errors();
    init_config_secrets();
    init_validate_run_config();
    CONFIG_NAME = /^[A-Za-z0-9_.-]+$/;
  }
});

// src/execution/named-run-config.ts
async function loadNamedConfig(instance, name, version) {
  const record = await instance.getRunConfig(name, version);
  if (record) return record;
  const latest = version === void 0 ? void 0 : await instance.getRunConfig(name);
  if (latest) throw new UnknownRunConfigError(name, version, { latestVersion: latest.version });
  throw new UnknownRunConfigError(name, version, { names: (await instance.listRunConfigs()).map((c) => c.name) });
}
var UnknownRunConfigError;
var init_named_run_config = __esm({
  "src/execution/named-run-config.ts"() {
    "use strict";
    init_errors();
    UnknownRunConfigError = class extends SluiceError {
      constructor(name, version, known) {
        const what = version === void 0 ? `no run config named "${name}"` : `run config "${name}" has no version ${version}`;
        const hint = known.latestVersion !== void 0 ? `it has versions 1 to ${known.latestVersion}` : known.names && known.names.length > 0 ? `known configs: ${known.names.join(", ")}` : "no configs are stored yet; store one with `sluice configs set NAME FILE.json`";
        super("UNKNOWN_RUN_CONFIG", `${what}; ${hint}`, { name, version: version ?? null, ...known });
      }
    };
  }
});

// src/web/http-util.ts
function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...BASE_HEADERS, "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
async function readJson(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, "BODY_TOO_LARGE", "request body over 1 MiB");
    chunks.push(chunk);
  }
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "INVALID_JSON", "request body is not valid JSON");
  }
}
async function readForm(req) {
  let text = "";
  for await (const chunk of req) {
    text += chunk.toString("utf8");
    if (text.length > 16 * 1024) throw new HttpError(413, "BODY_TOO_LARGE", "form body over 16 KiB");
  }
  return new URLSearchParams(text);
}
function queryInt(url, name, fallback, max = 1e4) {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, "INVALID_QUERY", `${name} must be a whole number >= 0 (got "${raw}")`);
  return Math.min(n, max);
}
var HttpError, MAX_BODY, BASE_HEADERS;
var init_http_util = __esm({
  "src/web/http-util.ts"() {
    "use strict";
    init_errors();
    HttpError = class extends SluiceError {
      constructor(status, code, message) {
        super(code, message, { status });
        this.status = status;
      }
      status;
    };
    MAX_BODY = 1024 * 1024;
    BASE_HEADERS = {
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "same-origin"
    };
  }
});

// src/web/config-routes.ts
function runConfigView(record) {
  return { name: record.name, version: record.version, body: record.body, createdAt: record.createdAt.toISOString() };
}
async function launchConfig(instance, body) {
  if (body.configName === void 0) {
    if (body.configVersion !== void 0) throw new HttpError(400, "INVALID_REQUEST", '"configVersion" needs "configName"');
    return { config: body.config, configRef: null };
  }
  if (typeof body.configName !== "string") throw new HttpError(400, "INVALID_REQUEST", '"configName" must be a string');
  if (body.config !== void 0) throw new HttpError(400, "INVALID_REQUEST", 'give "config" or "configName", not both');
  const version = body.configVersion;
  if (version !== void 0 && (!Number.isSafeInteger(version) || version < 1)) {
    throw new HttpError(400, "INVALID_REQUEST", '"configVersion" must be a whole number >= 1');
  }
  const record = await loadNamedConfig(instance, body.configName, version);
  return { config: record.body, configRef: { name: record.name, version: record.version } };
}
async function configRoute(deps, method, path, url, req) {
  if (method === "GET" && path === "/api/configs") {
    const configs = await deps.instance.listRunConfigs();
    return [200, { configs: configs.map((c) => ({ name: c.name, latestVersion: c.latestVersion, updatedAt: c.updatedAt.toISOString() })) }];
  }
  const match = /^\/api\/configs\/([^/]+)$/.exec(path);
  if (!match) return void 0;
  const name = decodeURIComponent(match[1]);
  if (method === "GET") {
    const raw = url.searchParams.get("version");
    const version = raw === null ? void 0 : Number(raw);
    if (version !== void 0 && (!Number.isSafeInteger(version) || version < 1)) {
      throw new HttpError(400, "INVALID_QUERY", `version must be a whole number >= 1 (got "${raw}")`);
    }
    return [200, runConfigView(await loadNamedConfig(deps.instance, name, version))];
  }
  if (method === "POST") {
    const { body } = await readJson(req);
    const valid = validateNamedConfig(deps.graph, name, body, `run config "${name}"`);
    return [201, runConfigView(await deps.instance.putRunConfig(name, valid, /* @__PURE__ */ new Date()))];
  }
  return void 0;
}
var init_config_routes = __esm({
  "src/web/config-routes.ts"() {
    "use strict";
    init_named_config();
    init_named_run_config();
    init_http_util();
  }
});

// src/web/schedule-views.ts
function scheduleStateView(state) {
  return {
    name: state.name,
    status: state.status,
    startedAt: state.startedAt?.toISOString() ?? null,
    cursor: state.cursor?.toISOString() ?? null,
    updatedAt: state.updatedAt.toISOString()
  };
}
function tickView(tick) {
  return {
    id: tick.id,
    schedule: tick.schedule,
    scheduledFor: tick.scheduledFor.toISOString(),
    status: tick.status,
    runId: tick.runId,
    reason: tick.reason,
    error: tick.error ? { name: tick.error.name, message: tick.error.message, ...tick.error.code ? { code: tick.error.code } : {} } : null,
    claimedBy: tick.claimedBy,
    claimedAt: tick.claimedAt.toISOString(),
    endedAt: tick.endedAt?.toISOString() ?? null
  };
}
var init_schedule_views = __esm({
  "src/web/schedule-views.ts"() {
    "use strict";
  }
});

// src/runtime/run-service.ts
function heartbeatView(b) {
  return { id: b.id, kind: b.kind, host: b.host, pid: b.pid, startedAt: b.startedAt.toISOString(), lastSeen: b.at.toISOString(), info: b.info };
}
var LocalRunService, RemoteRunService;
var init_run_service = __esm({
  "src/runtime/run-service.ts"() {
    "use strict";
    init_errors();
    init_asset_partitions2();
    init_asset_statuses();
    init_backfill_summary();
    init_run_list_item();
    init_run_summary();
    init_asset_views();
    init_config_routes();
    init_named_run_config();
    init_schedule_views();
    LocalRunService = class {
      constructor(instance) {
        this.instance = instance;
      }
      instance;
      remote = false;
      async listRuns(options) {
        return runListItems(this.instance, await this.instance.listRuns(options));
      }
      summary(runId) {
        return describeRun(this.instance, runId);
      }
      events(runId, afterId) {
        return this.instance.listEvents(runId, { afterId });
      }
      async heartbeats() {
        return (await this.instance.listHeartbeats()).map(heartbeatView);
      }
      async scheduleStates() {
        return (await this.instance.listScheduleStates()).map(scheduleStateView);
      }
      async setScheduleStatus(name, status) {
        return scheduleStateView(await this.instance.setScheduleStatus(name, status, /* @__PURE__ */ new Date()));
      }
      async ticks(name, limit) {
        return (await this.instance.listTicks(name, { limit })).map(tickView);
      }
      async latestCheckResults(assetKeys) {
        return (await this.instance.latestCheckResults(assetKeys)).map((r) => ({
          assetKey: r.assetKey,
          checkName: r.checkName,
          passed: r.passed,
          at: r.at.toISOString(),
          runId: r.runId
        }));
      }
      async assetHistory(assetKey, limit) {
        const [materializations, checks] = await Promise.all([
          this.instance.materializations(assetKey, { limit }),
          this.instance.checkResults({ assetKey, limit })
        ]);
        return { materializations: materializations.map(materializationView), checks: checks.map(checkResultView) };
      }
      async putRunConfig(name, body) {
        return runConfigView(await this.instance.putRunConfig(name, body, /* @__PURE__ */ new Date()));
      }
      async getRunConfig(name, version) {
        return runConfigView(await loadNamedConfig(this.instance, name, version));
      }
      async listRunConfigs() {
        return (await this.instance.listRunConfigs()).map((c) => ({ name: c.name, latestVersion: c.latestVersion, updatedAt: c.updatedAt.toISOString() }));
      }
      assetStatuses(graph) {
        return loadAssetStatuses(this.instance, graph, /* @__PURE__ */ new Date());
      }
      assetPartitions(graph, assetKey) {
        return loadAssetPartitions(this.instance, graph, assetKey, /* @__PURE__ */ new Date());
      }
      listBackfills(filter) {
        return listBackfillItems(this.instance, filter);
      }
      backfill(id) {
        return describeBackfill(this.instance, id);
      }
    };
    RemoteRunService = class {
      constructor(address) {
        this.address = address;
      }
      address;
      remote = true;
      async request(method, path, body) {
        let res;
        try {
          res = await fetch(`${this.address.url}${path}`, {
            method,
            headers: { authorization: `Bearer ${this.address.token}`, ...body === void 0 ? {} : { "content-type": "application/json" } },
            ...body === void 0 ? {} : { body: JSON.stringify(body) }
          });
        } catch (error) {
          throw new SluiceError(
            "DAEMON_UNREACHABLE",
            `the sluice daemon (pid ${this.address.pid}) holds this project's embedded store but does not answer at ${this.address.url}: ${error.message}; restart it, or stop it to use the store directly`,
            { pid: this.address.pid },
            { kind: "internal" }
          );
        }
        const json = await res.json();
        if (!res.ok) {
          const { code, message } = json.error;
          throw new SluiceError(code, message, { status: res.status }, { kind: res.status < 500 ? "input" : "internal" });
        }
        return json;
      }
      launch(body) {
        return this.request("POST", "/api/runs", body);
      }
      async cancel(runId) {
        return (await this.request("POST", `/api/runs/${encodeURIComponent(runId)}/cancel`)).status;
      }
      async listRuns(options) {
        const query = new URLSearchParams({ limit: String(options.limit), ...options.statuses ? { status: options.statuses.join(",") } : {} });
        for (const [key, value] of Object.entries(options.tags ?? {})) query.append("tag", `${key}=${value}`);
        if (options.since) query.set("since", options.since.toISOString());
        return [...(await this.request("GET", `/api/runs?${query}`)).runs];
      }
      summary(runId) {
        return this.request("GET", `/api/runs/${encodeURIComponent(runId)}`);
      }
      async events(runId, afterId) {
        const { events } = await this.request("GET", `/api/runs/${encodeURIComponent(runId)}/events?after=${afterId}`);
        return events.map((e) => ({ ...e, at: new Date(e.at) }));
      }
      async heartbeats() {
        return (await this.request("GET", "/api/heartbeats")).heartbeats;
      }
      async scheduleStates() {
        return [...(await this.request("GET", "/api/schedule-states")).states];
      }
      async setScheduleStatus(name, status) {
        return (await this.request("POST", `/api/schedule-states/${encodeURIComponent(name)}`, { status })).state;
      }
      async ticks(name, limit) {
        return [...(await this.request("GET", `/api/schedule-states/${encodeURIComponent(name)}/ticks?limit=${limit}`)).ticks];
      }
      /** From the daemon's asset states (one request, whatever the number of assets). */
      async latestCheckResults(assetKeys) {
        const wanted = new Set(assetKeys);
        const { states } = await this.request("GET", "/api/asset-states");
        return states.filter((state) => wanted.has(state.key)).flatMap(
          (state) => state.checks.flatMap((c) => c.passed === null || c.at === null || c.runId === null ? [] : [{ assetKey: state.key, checkName: c.name, passed: c.passed, at: c.at, runId: c.runId }])
        );
      }
      async assetHistory(assetKey, limit) {
        const detail = await this.request("GET", `/api/assets/${encodeURIComponent(assetKey)}?limit=${limit}`);
        return { materializations: detail.materializations, checks: detail.checkHistory };
      }
      putRunConfig(name, body) {
        return this.request("POST", `/api/configs/${encodeURIComponent(name)}`, { body });
      }
      getRunConfig(name, version) {
        return this.request("GET", `/api/configs/${encodeURIComponent(name)}${version === void 0 ? "" : `?version=${version}`}`);
      }
      async listRunConfigs() {
        return [...(await this.request("GET", "/api/configs")).configs];
      }
      async assetStatuses() {
        const { assets } = await this.request("GET", "/api/assets?status=true");
        return new Map(assets.map((a) => [a.key, { status: a.status, reason: a.statusReason, partitions: a.partitions }]));
      }
      assetPartitions(_graph, assetKey) {
        return this.request("GET", `/api/assets/${encodeURIComponent(assetKey)}/partitions`);
      }
      launchBackfill(body) {
        return this.request("POST", "/api/backfills", body);
      }
      async listBackfills(filter) {
        const query = new URLSearchParams({ limit: String(filter.limit), ...filter.statuses ? { status: filter.statuses.join(",") } : {} });
        return [...(await this.request("GET", `/api/backfills?${query}`)).backfills];
      }
      backfill(id) {
        return this.request("GET", `/api/backfills/${encodeURIComponent(id)}`);
      }
      async cancelBackfill(id) {
        return (await this.request("POST", `/api/backfills/${encodeURIComponent(id)}/cancel`)).status;
      }
    };
  }
});

// src/runtime/open-run-service.ts
var open_run_service_exports = {};
__export(open_run_service_exports, {
  openRunService: () => openRunService
});
async function openRunService(settings) {
  if (!settings.databaseUrl) {
    const address = readDaemonAddress(settings.projectDir);
    if (address) return { kind: "remote", service: new RemoteRunService(address), close: async () => {
    } };
  }
  const { instance, release } = await openStore(settings);
  return {
    kind: "local",
    service: new LocalRunService(instance),
    instance,
    async close() {
      try {
        await instance.close();
      } finally {
        release();
      }
    }
  };
}
var init_open_run_service = __esm({
  "src/runtime/open-run-service.ts"() {
    "use strict";
    init_embedded_daemon();
    init_run_service();
    init_runtime();
  }
});

// src/runtime/project-asset-statuses.ts
var project_asset_statuses_exports = {};
__export(project_asset_statuses_exports, {
  projectAssetStatuses: () => projectAssetStatuses
});
import { existsSync as existsSync4 } from "node:fs";
import { join as join5 } from "node:path";
async function projectAssetStatuses(settings, graph, now) {
  if (!settings.databaseUrl && !existsSync4(join5(settings.projectDir, ".sluice", "runs"))) {
    return assetStatuses(graph, /* @__PURE__ */ new Map(), now);
  }
  const { openRunService: openRunService2 } = await Promise.resolve().then(() => (init_open_run_service(), open_run_service_exports));
  const opened = await openRunService2(settings);
  try {
    return await opened.service.assetStatuses(graph);
  } finally {
    await opened.close();
  }
}
var init_project_asset_statuses = __esm({
  "src/runtime/project-asset-statuses.ts"() {
    "use strict";
    init_asset_status();
  }
});

// src/cli/commands/assets-list.ts
var assets_list_exports = {};
__export(assets_list_exports, {
  assetsList: () => assetsList
});
function partitionCounts(counts) {
  if (!counts) return "-";
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status}`);
  return parts.join(", ") || "0";
}
async function assetsList(cmd, opts) {
  const settings = settingsFor(cmd);
  const { graph } = await loadProject(settings.projectDir);
  const keys = opts.select === void 0 ? new Set(graph.keys()) : selectAssets(opts.select, graph);
  const statuses = opts.json || opts.status ? await (await Promise.resolve().then(() => (init_project_asset_statuses(), project_asset_statuses_exports))).projectAssetStatuses(settings, graph, /* @__PURE__ */ new Date()) : void 0;
  const assets = [...keys].sort().map((key) => {
    const a = graph.get(key);
    const s = statuses?.get(key);
    return {
      key,
      group: a.group,
      kinds: [...a.kinds],
      tags: { ...a.tags },
      owners: [...a.owners],
      deps: [...a.deps].sort(),
      ...s ? { status: s.status, statusReason: s.reason, partitions: s.partitions } : {}
    };
  });
  if (opts.json) {
    printJson(assets);
    return EXIT.ok;
  }
  if (assets.length === 0) {
    process.stdout.write("no assets selected\n");
    return EXIT.ok;
  }
  const base = (a) => [a.key, a.group, a.kinds.join(","), String(graph.checksOf(a.key).length), a.deps.join(", ")];
  if (!statuses) {
    process.stdout.write(`${table(["KEY", "GROUP", "KINDS", "CHECKS", "DEPS"], assets.map(base))}
`);
    return EXIT.ok;
  }
  const rows = assets.map((a) => {
    const [key, group, kinds, checks, deps] = base(a);
    return [key, a.status ?? "-", partitionCounts(a.partitions ?? null), group, kinds, checks, deps];
  });
  process.stdout.write(`${table(["KEY", "STATUS", "PARTITIONS", "GROUP", "KINDS", "CHECKS", "DEPS"], rows)}
`);
  return EXIT.ok;
}
var init_assets_list = __esm({
  "src/cli/commands/assets-list.ts"() {
    "use strict";
    init_selection();
    init_load_project();
    init_cli_context();
    init_format();
  }
});

// src/cli/commands/assets-partitions.ts
var assets_partitions_exports = {};
__export(assets_partitions_exports, {
  assetsPartitions: () => assetsPartitions
});
async function assetsPartitions(cmd, key, opts) {
  const settings = settingsFor(cmd);
  const { graph } = await loadProject(settings.projectDir);
  if (!graph.has(key)) throw new UnknownAssetError(key, graph.keys());
  if (!graph.get(key).partitions) {
    throw new SluiceError("UNPARTITIONED_ASSET", `asset "${key}" is not partitioned; \`sluice assets show ${key}\` shows its materializations`, { key });
  }
  const opened = await openRunService(settings);
  const view = await opened.service.assetPartitions(graph, key).finally(() => opened.close());
  if (opts.json) {
    printJson(view);
    return EXIT.ok;
  }
  const out = process.stdout;
  const { counts } = view;
  out.write(`asset ${key}  partitions: ${view.partitionsDefinition}
`);
  out.write(
    `${view.partitions.length} partition(s): ${counts.materialized} materialized${view.stale > 0 ? ` (${view.stale} stale)` : ""}, ${counts.failed} failed, ${counts.missing} missing, ${counts.running} running
`
  );
  if (view.partitions.length === 0) return EXIT.ok;
  const rows = view.partitions.map((p) => [p.key, p.stale ? `${p.status} (stale)` : p.status, p.runId ?? "-", p.at ?? "-", p.staleReason ?? ""]);
  out.write(`${table(["PARTITION", "STATUS", "RUN", "AT", "NOTE"], rows)}
`);
  return EXIT.ok;
}
var init_assets_partitions = __esm({
  "src/cli/commands/assets-partitions.ts"() {
    "use strict";
    init_errors();
    init_asset_partitions2();
    init_load_project();
    init_open_run_service();
    init_cli_context();
    init_format();
  }
});

// src/cli/commands/assets-show.ts
var assets_show_exports = {};
__export(assets_show_exports, {
  assetsShow: () => assetsShow
});
async function assetsShow(cmd, key, opts) {
  const settings = settingsFor(cmd);
  const limit = opts.limit === void 0 ? 20 : parsePositiveInt(opts.limit, "--limit");
  const { graph } = await loadProject(settings.projectDir);
  if (!graph.has(key)) {
    throw new SluiceError("UNKNOWN_ASSET", `unknown asset "${key}"${didYouMean(suggest(key, graph.keys()))}; run \`sluice assets list\` to see what exists`, {
      key
    });
  }
  const asset = graph.get(key);
  const opened = await openRunService(settings);
  const history = await opened.service.assetHistory(key, limit).finally(() => opened.close());
  const view = {
    key,
    group: asset.group,
    kinds: [...asset.kinds],
    description: asset.description ?? null,
    deps: [...asset.deps].sort(),
    checks: graph.checksOf(key).map((c) => ({ name: c.name, severity: c.severity, blocking: c.blocking, description: c.description ?? null })),
    materializations: history.materializations,
    checkHistory: history.checks
  };
  if (opts.json) {
    printJson(view);
    return EXIT.ok;
  }
  const out = process.stdout;
  out.write(`asset ${key}  group=${view.group}${view.kinds.length ? `  kinds=${view.kinds.join(",")}` : ""}
`);
  if (view.description) out.write(`${view.description}
`);
  out.write(`deps: ${view.deps.join(", ") || "-"}
`);
  out.write(`checks: ${view.checks.map((c) => `${c.name} [${c.severity}${c.blocking ? ", blocking" : ""}]`).join(", ") || "-"}

`);
  out.write("materializations (newest first):\n");
  out.write(
    view.materializations.length === 0 ? "  none yet\n" : `${table(["AT", "RUN", "METADATA"], view.materializations.map((m) => [m.at, m.runId, metadataLine(m.metadata)]))}
`
  );
  out.write("\ncheck results (newest first):\n");
  out.write(
    view.checkHistory.length === 0 ? "  none yet\n" : `${table(
      ["AT", "CHECK", "RESULT", "RUN", "DETAILS"],
      view.checkHistory.map((c) => [c.at, c.checkName, c.passed ? "passed" : "FAILED", c.runId, `${c.description ?? ""} ${metadataLine(c.metadata)}`.trim()])
    )}
`
  );
  return EXIT.ok;
}
var init_assets_show = __esm({
  "src/cli/commands/assets-show.ts"() {
    "use strict";
    init_errors();
    init_suggest();
    init_load_project();
    init_open_run_service();
    init_cli_context();
    init_format();
  }
});

// src/cli/commands/checks.ts
var checks_exports = {};
__export(checks_exports, {
  checksList: () => checksList
});
async function checksList(cmd, opts) {
  const settings = settingsFor(cmd);
  const { graph } = await loadProject(settings.projectDir);
  const keys = opts.select === void 0 ? new Set(graph.keys()) : selectAssets(opts.select, graph);
  const checks = graph.order.filter((key) => keys.has(key)).flatMap((key) => graph.checksOf(key));
  let latest = [];
  if (checks.length > 0) {
    const opened = await openRunService(settings);
    try {
      latest = await opened.service.latestCheckResults([...new Set(checks.map((c) => c.asset))]);
    } finally {
      await opened.close();
    }
  }
  const byId = new Map(latest.map((r) => [`${r.assetKey}#${r.checkName}`, r]));
  const listing = checks.map((c) => {
    const r = byId.get(`${c.asset}#${c.name}`);
    return {
      asset: c.asset,
      name: c.name,
      severity: c.severity,
      blocking: c.blocking,
      gating: isGating(c),
      description: c.description ?? null,
      latest: r ? { passed: r.passed, at: r.at, runId: r.runId } : null
    };
  });
  if (opts.json) {
    printJson(listing);
    return EXIT.ok;
  }
  if (listing.length === 0) {
    process.stdout.write("no checks on the selected assets\n");
    return EXIT.ok;
  }
  const rows = listing.map((c) => [
    c.asset,
    c.name,
    c.severity,
    c.blocking ? "yes" : "no",
    c.latest ? c.latest.passed ? "passed" : "FAILED" : "never run",
    c.latest?.at ?? "-",
    c.latest?.runId ?? "-",
    c.description ?? ""
  ]);
  process.stdout.write(`${table(["ASSET", "CHECK", "SEVERITY", "BLOCKING", "LATEST", "AT", "RUN", "DESCRIPTION"], rows)}
`);
  return EXIT.ok;
}
var init_checks = __esm({
  "src/cli/commands/checks.ts"() {
    "use strict";
    init_check_definition();
    init_selection();
    init_load_project();
    init_open_run_service();
    init_cli_context();
    init_format();
  }
});

// src/execution/bullmq/run-wakeup.ts
var run_wakeup_exports = {};
__export(run_wakeup_exports, {
  announceQueuedRun: () => announceQueuedRun,
  onQueuedRun: () => onQueuedRun,
  runsChannel: () => runsChannel
});
function runsChannel(prefix) {
  return `${prefix}:runs`;
}
function announceQueuedRun(redis, prefix, runId) {
  return redis.publish(runsChannel(prefix), runId);
}
async function onQueuedRun(redis, prefix, onQueued) {
  const subscriber = redis.duplicate();
  subscriber.on("error", () => {
  });
  subscriber.on("message", (channel, runId) => {
    if (channel === runsChannel(prefix)) onQueued(runId);
  });
  await subscriber.subscribe(runsChannel(prefix));
  return subscriber;
}
var init_run_wakeup = __esm({
  "src/execution/bullmq/run-wakeup.ts"() {
    "use strict";
  }
});

// src/execution/heartbeat-writer.ts
import { randomUUID } from "node:crypto";
import { hostname as hostname2 } from "node:os";
var HEARTBEAT_INTERVAL_MS, HeartbeatWriter;
var init_heartbeat_writer = __esm({
  "src/execution/heartbeat-writer.ts"() {
    "use strict";
    HEARTBEAT_INTERVAL_MS = 2e3;
    HeartbeatWriter = class {
      constructor(instance, kind, info = () => ({}), intervalMs = HEARTBEAT_INTERVAL_MS) {
        this.instance = instance;
        this.kind = kind;
        this.info = info;
        this.intervalMs = intervalMs;
        this.id = `${kind}:${hostname2()}:${process.pid}:${randomUUID().slice(0, 8)}`;
      }
      instance;
      kind;
      info;
      intervalMs;
      id;
      timer;
      startedAt = /* @__PURE__ */ new Date();
      beat() {
        const beat = { id: this.id, kind: this.kind, host: hostname2(), pid: process.pid, startedAt: this.startedAt, at: /* @__PURE__ */ new Date(), info: this.info() };
        return this.instance.heartbeat(beat).catch(() => {
        });
      }
      async start() {
        await this.beat();
        this.timer = setInterval(() => void this.beat(), this.intervalMs);
        this.timer.unref();
      }
      async stop() {
        if (this.timer) clearInterval(this.timer);
        this.timer = void 0;
        await this.instance.removeHeartbeat(this.id).catch(() => {
        });
      }
    };
  }
});

// src/core/events.ts
function toErrorInfo(error) {
  if (error instanceof Error) {
    const code = error.code;
    return {
      name: error.name,
      message: error.message,
      ...typeof code === "string" ? { code } : {},
      ...error.stack ? { stack: error.stack } : {}
    };
  }
  return { name: "Error", message: String(error) };
}
var init_events = __esm({
  "src/core/events.ts"() {
    "use strict";
  }
});

// src/core/run/run-outcome.ts
function runOutcome(steps, cancelRequested) {
  if (steps.some((s) => s.status === "PENDING" || s.status === "RUNNING")) return null;
  if (cancelRequested || steps.some((s) => s.status === "CANCELED")) return "CANCELED";
  if (steps.some((s) => s.status === "FAILED")) return "FAILURE";
  return "SUCCESS";
}
var init_run_outcome = __esm({
  "src/core/run/run-outcome.ts"() {
    "use strict";
  }
});

// src/execution/finish-run.ts
async function finishRunIfDone(instance, runId, at, options = {}) {
  const run2 = await instance.getRun(runId);
  if (!run2 || run2.status === "QUEUED" || run2.status === "SUCCESS" || run2.status === "FAILURE" || run2.status === "CANCELED") return null;
  const canceling = options.cancelRequested === true || run2.status === "CANCELING";
  if (canceling) {
    if (run2.status !== "CANCELING" && await instance.setRunStatus(runId, "CANCELING", at)) {
      options.onEvent?.({ type: "RUN_CANCELING", runId, stepKey: null, at, data: {} });
    }
    for (const key of await instance.cancelPendingSteps(runId, at)) options.onEvent?.({ type: "STEP_CANCELED", runId, stepKey: key, at, data: {} });
  }
  let steps = await instance.listSteps(runId);
  let status = runOutcome(steps, canceling);
  let error = options.fatal;
  if (status === null) {
    if (options.fatal === void 0 || steps.some((s) => s.status === "RUNNING")) return null;
    const stuck = await instance.cancelPendingSteps(runId, at);
    steps = await instance.listSteps(runId);
    status = canceling ? "CANCELED" : "FAILURE";
    error = { ...options.fatal, message: `${options.fatal.message} (steps never run: ${stuck.join(", ")})` };
  }
  if (status === "FAILURE" && !error) {
    const failed = steps.filter((s) => s.status === "FAILED").map((s) => s.key);
    error = { name: "StepsFailed", message: `${failed.length} step(s) failed: ${failed.join(", ")}` };
  }
  if (!await instance.setRunStatus(runId, status, at, status === "FAILURE" ? error : void 0)) return null;
  options.onEvent?.(
    status === "FAILURE" ? { type: "RUN_FAILURE", runId, stepKey: null, at, data: error ? { error } : {} } : { type: status === "SUCCESS" ? "RUN_SUCCESS" : "RUN_CANCELED", runId, stepKey: null, at, data: {} }
  );
  return status;
}
var init_finish_run = __esm({
  "src/execution/finish-run.ts"() {
    "use strict";
    init_run_outcome();
  }
});

// src/execution/run-lease.ts
function runLeaseName(runId) {
  return `run:${runId}`;
}
async function holdRunLease(instance, runId, holder, ttlMs = RUN_LEASE_TTL_MS) {
  const name = runLeaseName(runId);
  if (!await instance.acquireLease(name, holder, ttlMs, /* @__PURE__ */ new Date())) {
    throw new RunOwnedError(runId, (await instance.getLease(name))?.holder ?? "unknown");
  }
  const timer = setInterval(() => void instance.acquireLease(name, holder, ttlMs, /* @__PURE__ */ new Date()).catch(() => {
  }), Math.floor(ttlMs / 3));
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await instance.releaseLease(name, holder).catch(() => {
      });
    }
  };
}
var RUN_LEASE_TTL_MS, RunOwnedError;
var init_run_lease = __esm({
  "src/execution/run-lease.ts"() {
    "use strict";
    init_errors();
    RUN_LEASE_TTL_MS = 15e3;
    RunOwnedError = class extends SluiceError {
      constructor(runId, holder) {
        super("RUN_OWNED", `run ${runId} is being executed by another process (${holder}); follow it with \`sluice runs show ${runId}\``, { runId, holder });
      }
    };
  }
});

// src/core/asset/retry-policy.ts
function retryDelayMs(policy, nextAttempt, random) {
  const backoff = policy.backoff;
  if (!backoff) return 0;
  const base = backoff.type === "fixed" ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, nextAttempt - 2);
  const jitter = policy.jitter ?? 0;
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random - 1))));
}
var NO_RETRY;
var init_retry_policy = __esm({
  "src/core/asset/retry-policy.ts"() {
    "use strict";
    init_errors();
    NO_RETRY = Object.freeze({ attempts: 1 });
  }
});

// src/execution/retry-storage-write.ts
async function retryStorageWrite(write, retryForMs = OUTCOME_WRITE_RETRY_MS) {
  const deadline = Date.now() + retryForMs;
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2e3)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + delayMs > deadline) throw error;
      await new Promise((resolve6) => setTimeout(resolve6, delayMs));
    }
  }
}
var OUTCOME_WRITE_RETRY_MS;
var init_retry_storage_write = __esm({
  "src/execution/retry-storage-write.ts"() {
    "use strict";
    OUTCOME_WRITE_RETRY_MS = 3e4;
  }
});

// src/execution/step-errors.ts
var StepTimeoutError, RunCanceledError, CheckFailedError, StepDefinitionMissingError;
var init_step_errors = __esm({
  "src/execution/step-errors.ts"() {
    "use strict";
    init_errors();
    StepTimeoutError = class extends SluiceError {
      constructor(stepKey, timeoutMs) {
        super("STEP_TIMEOUT", `step "${stepKey}" timed out after ${timeoutMs} ms (timeoutMs on its asset)`, { stepKey, timeoutMs }, { kind: "internal" });
      }
    };
    RunCanceledError = class extends SluiceError {
      constructor(runId) {
        super("RUN_CANCELED", `run ${runId} was canceled`, { runId }, { kind: "internal" });
      }
    };
    CheckFailedError = class extends SluiceError {
      constructor(assetKey, checkName, description) {
        super(
          "CHECK_FAILED",
          `blocking check "${checkName}" on asset "${assetKey}" failed${description ? `: ${description}` : ""}; everything downstream of "${assetKey}" is skipped`,
          { assetKey, checkName },
          { kind: "internal" }
        );
      }
    };
    StepDefinitionMissingError = class extends SluiceError {
      constructor(stepKey) {
        super(
          "STEP_DEFINITION_MISSING",
          `step "${stepKey}" has no definition in the loaded project (was it renamed or removed after the run was launched?)`,
          { stepKey },
          { kind: "internal" }
        );
      }
    };
  }
});

// src/execution/step-cursor.ts
function invalidCursor(assetKey, problem) {
  return new SluiceError("INVALID_CURSOR", `ctx.cursor.set() in asset "${assetKey}": ${problem}; a cursor must be a JSON value (object, array, string, number, boolean or null)`, {
    assetKey
  });
}
var StepCursor;
var init_step_cursor = __esm({
  "src/execution/step-cursor.ts"() {
    "use strict";
    init_errors();
    StepCursor = class {
      constructor(instance, assetKey, partitionKey = "") {
        this.instance = instance;
        this.assetKey = assetKey;
        this.partitionKey = partitionKey;
      }
      instance;
      assetKey;
      partitionKey;
      #staged;
      async get() {
        if (this.#staged) return this.#staged.value;
        return (await this.instance.getCursor(this.assetKey, this.partitionKey))?.value;
      }
      set(value) {
        let text;
        try {
          text = JSON.stringify(value);
        } catch (error) {
          throw invalidCursor(this.assetKey, error.message);
        }
        if (text === void 0) throw invalidCursor(this.assetKey, `${typeof value} is not a JSON value`);
        this.#staged = { value: JSON.parse(text) };
      }
      /** What the outcome stores on success (undefined when `set` was never called). */
      staged() {
        return this.#staged;
      }
    };
  }
});

// src/execution/step-partition.ts
function stepPartition(asset, runPartition) {
  const def = asset?.partitions;
  if (!def || runPartition === null) return NONE;
  const range = parsePartitionRange(runPartition);
  const [from, to] = range ? [range.from, range.to] : [runPartition, runPartition];
  const partitionTimeWindow_ = def.kind === "time-window" ? Object.freeze({ start: partitionTimeWindow(def, from).start, end: partitionTimeWindow(def, to).end }) : void 0;
  return Object.freeze({
    partitionKey: range ? void 0 : runPartition,
    partitionKeyRange: range ? Object.freeze({ from, to }) : void 0,
    partitionTimeWindow: partitionTimeWindow_
  });
}
var NONE;
var init_step_partition = __esm({
  "src/execution/step-partition.ts"() {
    "use strict";
    init_partition_keys();
    init_partition_range();
    NONE = Object.freeze({ partitionKey: void 0, partitionKeyRange: void 0, partitionTimeWindow: void 0 });
  }
});

// src/execution/step-log-buffer.ts
var LEVELS2, RESERVED, StepLogBuffer;
var init_step_log_buffer = __esm({
  "src/execution/step-log-buffer.ts"() {
    "use strict";
    LEVELS2 = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };
    RESERVED = /* @__PURE__ */ new Set(["level", "time", "msg", "pid", "hostname", "runId", "step", "attempt"]);
    StepLogBuffer = class {
      constructor(runId, stepKey, forward) {
        this.runId = runId;
        this.stepKey = stepKey;
        this.forward = forward;
      }
      runId;
      stepKey;
      forward;
      pending = [];
      write(line) {
        this.forward?.write(line);
        let record;
        try {
          record = JSON.parse(line);
        } catch {
          record = { level: 30, msg: line.trim() };
        }
        const fields = {};
        for (const [k, v] of Object.entries(record)) if (!RESERVED.has(k)) fields[k] = v;
        this.pending.push({
          type: "LOG",
          runId: this.runId,
          stepKey: this.stepKey,
          at: typeof record.time === "number" ? new Date(record.time) : /* @__PURE__ */ new Date(),
          data: {
            level: LEVELS2[record.level] ?? "info",
            msg: typeof record.msg === "string" ? record.msg : "",
            ...Object.keys(fields).length > 0 ? { fields } : {}
          }
        });
      }
      /** Buffers an event of the attempt that is not a log line (STEP_STARTED). */
      push(event) {
        this.pending.push(event);
      }
      /** Puts a drained batch that could not be written back in front of what came since. */
      restore(events) {
        this.pending = [...events, ...this.pending];
      }
      get size() {
        return this.pending.length;
      }
      /** The buffered events, oldest first; the buffer is empty afterwards. */
      drain() {
        const out = this.pending;
        this.pending = [];
        return out;
      }
    };
  }
});

// src/execution/step-runner.ts
import { pino as pino2 } from "pino";
async function runStepAttempt(host, run2, step, attempt, runSignal) {
  const startedAt = host.now();
  const start = await host.instance.startStep(run2.id, step.key, attempt, startedAt, host.worker);
  if (!start.started) return { status: "NOT_STARTED", start };
  const started = { type: "STEP_STARTED", runId: run2.id, stepKey: step.key, at: startedAt, data: { attempt, worker: host.worker } };
  host.onEvent?.(started);
  const buffer = new StepLogBuffer(run2.id, step.key, host.logDestination);
  buffer.push(started);
  const log = pino2(
    { level: host.logLevel, redact: { paths: REDACT_PATHS, censor: REDACTED }, base: { runId: run2.id, step: step.key, attempt } },
    redactingDestination(host.redactor, buffer)
  );
  let flushing = Promise.resolve();
  const flushEvery = host.logFlushMs ?? 250;
  let flusher;
  const nextFlush = (delayMs) => {
    flusher = setTimeout(() => {
      flushing = flushing.then(() => flushLogs(host, buffer));
      nextFlush(flushEvery);
    }, delayMs);
  };
  nextFlush(Math.min(FIRST_FLUSH_MS, flushEvery));
  const asset = host.graph.has(step.assetKey) ? host.graph.get(step.assetKey) : void 0;
  const check = step.checkName ? asset && host.graph.checksOf(step.assetKey).find((c) => c.name === step.checkName) : void 0;
  const timeoutMs = step.kind === "asset" ? asset?.timeoutMs : void 0;
  let outcome;
  const partition = stepPartition(asset, run2.partition);
  const cursor = new StepCursor(host.instance, step.assetKey, partition.partitionKey ?? "");
  const stepAbort = new AbortController();
  const onRunAbort = () => stepAbort.abort(new RunCanceledError(run2.id));
  if (runSignal.aborted) onRunAbort();
  else runSignal.addEventListener("abort", onRunAbort, { once: true });
  const timer = timeoutMs ? setTimeout(() => stepAbort.abort(new StepTimeoutError(step.key, timeoutMs)), timeoutMs) : void 0;
  try {
    if (!asset || step.kind === "check" && !check) throw new StepDefinitionMissingError(step.key);
    const resources = await host.resources.resolve(step.kind === "asset" ? asset.resources : check.resources);
    const common = {
      assetKey: step.assetKey,
      log,
      run: { id: run2.id, tags: run2.tags },
      resources,
      signal: stepAbort.signal,
      attempt,
      ...partition
    };
    const work = step.kind === "asset" ? Promise.resolve().then(() => asset.materialize({ ...common, config: resolvedConfig(host, run2, step.assetKey), cursor })) : Promise.resolve().then(() => check.check({ ...common, checkName: check.name }));
    outcome = { ok: true, result: await raceAbort(work, stepAbort.signal) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    if (timer) clearTimeout(timer);
    runSignal.removeEventListener("abort", onRunAbort);
    clearTimeout(flusher);
    await flushing;
  }
  const endedAt = host.now();
  const durationMs = endedAt.getTime() - startedAt.getTime();
  const base = { attempt, at: endedAt, durationMs };
  let record;
  let carried = [];
  if (outcome.ok) {
    const materialized = { codeVersion: asset?.codeVersion, partition: run2.partition ?? void 0 };
    record = step.kind === "asset" ? assetOutcome(host, outcome.result, base, cursor.staged(), materialized) : checkOutcome(host, check, step, outcome.result, base);
  } else {
    const error = redactError(host.redactor, toErrorInfo(outcome.error));
    log.error({ err: { message: error.message, code: error.code } }, "step failed");
    const policy = asset?.retry ?? NO_RETRY;
    const canRetry = step.kind === "asset" && attempt < policy.attempts && !runSignal.aborted && asset !== void 0;
    if (canRetry) {
      const delay = retryDelayMs(policy, attempt + 1, host.random());
      const logs2 = buffer.drain();
      const retried = await retryStorageWrite(() => host.instance.retryStep(run2.id, step.key, { status: "FAILED", ...base, error, retryDelayMs: delay, events: logs2 }));
      if (retried) {
        announceWritten(host, logs2);
        host.onEvent?.({ type: "STEP_FAILED", runId: run2.id, stepKey: step.key, at: endedAt, data: { attempt, durationMs, error, willRetry: true, retryDelayMs: delay } });
        return { status: "RETRY", retryDelayMs: delay, error };
      }
      carried = logs2;
    }
    record = { status: runSignal.aborted ? "CANCELED" : "FAILED", ...base, error };
  }
  const logs = [...carried, ...buffer.drain()];
  const finished2 = await retryStorageWrite(() => host.instance.finishStep(run2.id, step.key, { ...record, events: logs }));
  announceWritten(host, logs);
  announce(host, run2.id, step, record, finished2.skipped);
  return { status: record.status, ready: finished2.ready, skipped: finished2.skipped, remaining: finished2.remaining, ...record.error ? { error: record.error } : {} };
}
function resolvedConfig(host, run2, assetKey) {
  const resolved = [];
  const config = resolveEnvRefs(run2.config[assetKey], process.env, { assetKey, configRef: run2.configRef }, resolved);
  host.redactor.add(resolved);
  return config;
}
function assetOutcome(host, result, base, cursor, materialized) {
  const metadata = host.redactor.value(sanitizeMetadata(result?.metadata));
  return {
    status: "SUCCEEDED",
    ...base,
    materialization: {
      metadata,
      ...result?.dataVersion !== void 0 ? { dataVersion: String(result.dataVersion) } : {},
      ...materialized.codeVersion !== void 0 ? { codeVersion: materialized.codeVersion } : {},
      ...materialized.partition !== void 0 ? { partition: materialized.partition } : {}
    },
    ...cursor ? { cursor } : {}
  };
}
function checkOutcome(host, check, step, result, base) {
  if (!result || typeof result.passed !== "boolean") {
    return {
      status: "FAILED",
      ...base,
      error: { name: "InvalidCheckResult", message: `check "${check.name}" on "${step.assetKey}" must return { passed: boolean }` }
    };
  }
  const description = result.description === void 0 ? void 0 : host.redactor.string(result.description);
  const checkRecord = {
    passed: result.passed,
    severity: check.severity,
    blocking: check.blocking,
    metadata: host.redactor.value(sanitizeMetadata(result.metadata)),
    ...description !== void 0 ? { description } : {}
  };
  if (!result.passed && isGating(check)) {
    return { status: "FAILED", ...base, check: checkRecord, error: toErrorInfo(new CheckFailedError(step.assetKey, check.name, description)) };
  }
  return { status: "SUCCEEDED", ...base, check: checkRecord };
}
function sanitizeMetadata(metadata) {
  if (!metadata) return {};
  const out = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (v === null || ["string", "number", "boolean"].includes(typeof v)) {
      out[k] = typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
    } else if (typeof v === "object") out[k] = JSON.parse(JSON.stringify(v));
    else out[k] = String(v);
  }
  return out;
}
function redactError(redactor, error) {
  return redactor.value(error);
}
function announce(host, runId, step, outcome, skipped) {
  if (!host.onEvent) return;
  const at = outcome.at;
  if (outcome.materialization) {
    host.onEvent({ type: "MATERIALIZATION", runId, stepKey: step.key, at, data: { assetKey: step.assetKey, ...outcome.materialization } });
  }
  if (outcome.check) {
    host.onEvent({ type: "CHECK_EVALUATION", runId, stepKey: step.key, at, data: { assetKey: step.assetKey, checkName: step.checkName, ...outcome.check } });
  }
  host.onEvent(
    outcome.status === "SUCCEEDED" ? { type: "STEP_SUCCEEDED", runId, stepKey: step.key, at, data: { attempt: outcome.attempt, durationMs: outcome.durationMs } } : outcome.status === "CANCELED" ? { type: "STEP_CANCELED", runId, stepKey: step.key, at, data: {} } : {
      type: "STEP_FAILED",
      runId,
      stepKey: step.key,
      at,
      data: { attempt: outcome.attempt, durationMs: outcome.durationMs, error: outcome.error, willRetry: false }
    }
  );
  for (const key of skipped) host.onEvent({ type: "STEP_SKIPPED", runId, stepKey: key, at, data: { reason: `upstream step "${step.key}" failed` } });
}
function announceWritten(host, events) {
  if (host.onEvent) {
    for (const event of events) if (event.type !== "STEP_STARTED") host.onEvent(event);
  }
}
async function flushLogs(host, buffer) {
  if (buffer.size === 0) return;
  const events = buffer.drain();
  try {
    await host.instance.appendEvents(events);
    announceWritten(host, events);
  } catch {
    buffer.restore(events);
  }
}
function raceAbort(work, signal) {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve6, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve6(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      }
    );
  });
}
var FIRST_FLUSH_MS;
var init_step_runner = __esm({
  "src/execution/step-runner.ts"() {
    "use strict";
    init_retry_policy();
    init_check_definition();
    init_events();
    init_env_ref();
    init_redactor();
    init_logger();
    init_retry_storage_write();
    init_step_errors();
    init_step_cursor();
    init_step_partition();
    init_step_log_buffer();
    FIRST_FLUSH_MS = 50;
  }
});

// src/execution/in-process/in-process-executor.ts
var ASSET_BUSY_POLL_MS, InProcessExecutor;
var init_in_process_executor = __esm({
  "src/execution/in-process/in-process-executor.ts"() {
    "use strict";
    init_events();
    init_finish_run();
    init_run_lease();
    init_step_runner();
    ASSET_BUSY_POLL_MS = 200;
    InProcessExecutor = class {
      constructor(host, options = {}) {
        this.host = host;
        this.concurrency = Math.max(1, options.concurrency ?? 4);
      }
      host;
      concurrency;
      /**
       * Executes the run until it ends. Holds the run's lease meanwhile (RunOwnedError when another
       * live process executes it), so that no daemon adopts it.
       */
      async execute(runId, signal) {
        const lease = await holdRunLease(this.host.instance, runId, this.host.worker);
        try {
          return await this.executeLeased(runId, signal);
        } finally {
          await lease.release();
        }
      }
      async executeLeased(runId, signal) {
        const { instance } = this.host;
        const initial = await instance.getRun(runId);
        if (!initial) throw new Error(`run ${runId} does not exist`);
        if (initial.status === "QUEUED") {
          const at = this.host.now();
          if (await instance.setRunStatus(runId, "STARTED", at)) this.host.onEvent?.({ type: "RUN_STARTED", runId, stepKey: null, at, data: {} });
        }
        const run2 = await instance.getRun(runId);
        const steps = new Map((await instance.listSteps(runId)).map((s) => [s.key, s]));
        const queue = await instance.readySteps(runId);
        const attempts = /* @__PURE__ */ new Map();
        const timers = /* @__PURE__ */ new Set();
        let running = 0;
        let fatal;
        await new Promise((resolve6) => {
          const settleIfIdle = () => {
            if (running === 0 && timers.size === 0 && (queue.length === 0 || signal.aborted || fatal !== void 0)) resolve6();
          };
          const onAbort = () => {
            for (const timer of timers) clearTimeout(timer);
            timers.clear();
            queue.length = 0;
            settleIfIdle();
          };
          signal.addEventListener("abort", onAbort, { once: true });
          const later = (key, delayMs, sameAttempt) => {
            if (sameAttempt) attempts.set(key, attempts.get(key) - 1);
            const timer = setTimeout(() => {
              timers.delete(timer);
              queue.push(key);
              pump();
            }, delayMs);
            timers.add(timer);
          };
          const pump = () => {
            while (!signal.aborted && fatal === void 0 && running < this.concurrency && queue.length > 0) {
              const key = queue.shift();
              const step = steps.get(key);
              const attempt = (attempts.get(key) ?? step.attempt) + 1;
              attempts.set(key, attempt);
              running++;
              runStepAttempt(this.host, run2, step, attempt, signal).then((result) => {
                if (result.status === "NOT_STARTED") {
                  if (result.start.reason === "asset-busy") later(key, ASSET_BUSY_POLL_MS, true);
                } else if (result.status === "RETRY") later(key, result.retryDelayMs, false);
                else queue.push(...result.ready);
              }).catch((error) => {
                fatal = error;
              }).finally(() => {
                running--;
                pump();
                settleIfIdle();
              });
            }
            settleIfIdle();
          };
          pump();
          if (signal.aborted) onAbort();
        });
        return this.finish(runId, signal.aborted, fatal);
      }
      async finish(runId, canceled, fatal) {
        const { instance } = this.host;
        await finishRunIfDone(instance, runId, this.host.now(), {
          cancelRequested: canceled,
          ...fatal === void 0 ? {} : { fatal: this.host.redactor.value(toErrorInfo(fatal)) },
          ...this.host.onEvent ? { onEvent: this.host.onEvent } : {}
        });
        return await instance.getRun(runId);
      }
    };
  }
});

// src/core/checks/failed-check-gate-error.ts
var FailedCheckGateError;
var init_failed_check_gate_error = __esm({
  "src/core/checks/failed-check-gate-error.ts"() {
    "use strict";
    init_errors();
    FailedCheckGateError = class extends SluiceError {
      constructor(gates) {
        const lines = gates.map(
          (g) => `  - check "${g.checkName}" of "${g.assetKey}" failed in run ${g.runId} at ${g.at.toISOString()}${g.description ? ` (${g.description})` : ""}; it holds back ${g.blocks.map((k) => `"${k}"`).join(", ")}`
        );
        const assets = [...new Set(gates.map((g) => g.assetKey))];
        super(
          "FAILED_CHECK_GATE",
          `refusing to materialize assets downstream of a failed blocking check:
${lines.join("\n")}
fix the data and re-run the check by selecting its asset too (e.g. --select '${assets.map((k) => `key:${k}+`).join(" or ")}'), or override with --allow-failed-checks (API: "allowFailedChecks": true)`,
          { gates: gates.map((g) => ({ ...g, at: g.at.toISOString() })) }
        );
      }
    };
  }
});

// src/core/checks/failed-gates.ts
function gateCandidates(graph, selected) {
  return [...graph.upstream(selected)].filter((key) => !selected.has(key) && graph.checksOf(key).some(isGating)).sort();
}
function failedGates(graph, selected, latest) {
  const candidates = new Set(gateCandidates(graph, selected));
  const gates = [];
  for (const result of latest) {
    if (result.passed || !candidates.has(result.assetKey)) continue;
    const check = graph.checksOf(result.assetKey).find((c) => c.name === result.checkName);
    if (!check || !isGating(check)) continue;
    const blocks = [...graph.downstream([result.assetKey])].filter((key) => selected.has(key)).sort();
    gates.push({ assetKey: result.assetKey, checkName: result.checkName, runId: result.runId, at: result.at, description: result.description, blocks });
  }
  return gates.sort((a, b) => a.assetKey.localeCompare(b.assetKey) || a.checkName.localeCompare(b.checkName));
}
var init_failed_gates = __esm({
  "src/core/checks/failed-gates.ts"() {
    "use strict";
    init_check_definition();
  }
});

// src/core/partitions/assert-partition-key.ts
function assertPartitionKey(def, key, now, where, asset) {
  const problem = partitionKeyProblem(def, key, now);
  if (problem === void 0) return;
  const hint = def.kind === "static" ? didYouMean(suggest(String(key), def.keys)) : "";
  throw new SluiceError(
    "INVALID_PARTITION",
    `${where}: ${JSON.stringify(key)} is not a partition${asset ? ` of ${asset}` : ""} (${problem})${hint}; ${validKeys(def, now)}`,
    { where, asset, key, partitions: describePartitions(def), first: firstPartitionKey(def, now), last: lastPartitionKey(def, now) }
  );
}
function partitionKeyRange(def, from, to, now, where, asset) {
  assertPartitionKey(def, from, now, where, asset);
  assertPartitionKey(def, to, now, where, asset);
  if (def.kind === "static") {
    const index = staticIndex(def);
    const [i, j] = [index.get(from), index.get(to)];
    if (i > j) throw backwards(def, from, to, where, asset);
    return def.keys.slice(i, j + 1);
  }
  const cal = calendarOf(def);
  const [a, b] = [cal.rules.parse(from), cal.rules.parse(to)];
  if (a > b) throw backwards(def, from, to, where, asset);
  return cal.keys(a, b);
}
function backwards(def, from, to, where, asset) {
  return new SluiceError(
    "INVALID_PARTITION",
    `${where}: the range ${formatPartitionRange(from, to)}${asset ? ` of ${asset}` : ""} is backwards: "${from}" comes after "${to}"; write it oldest first: ${formatPartitionRange(to, from)}`,
    { where, asset, from, to, partitions: describePartitions(def) }
  );
}
function validKeys(def, now) {
  if (def.kind === "static") return `valid keys: ${describePartitions(def).slice("static: ".length)}`;
  const rules = calendarOf(def).rules;
  const last = lastPartitionKey(def, now);
  const span2 = last === void 0 ? `no partition yet: the first window, ${def.start}, has not ended` : `first ${def.start}, last ${last}`;
  return `partitions are ${describePartitions(def)}, keys like ${rules.format}; ${span2}`;
}
var init_assert_partition_key = __esm({
  "src/core/partitions/assert-partition-key.ts"() {
    "use strict";
    init_errors();
    init_suggest();
    init_describe_partitions();
    init_partition_keys();
    init_partition_range();
    init_time_window_calendar();
  }
});

// src/core/plan/run-partitions.ts
function resolveRunPartitions(graph, keys, partition, now, where = "--partition") {
  let definition;
  let owner;
  for (const key of graph.order) {
    const def = keys.has(key) ? graph.get(key).partitions : void 0;
    if (!def) continue;
    if (!definition) [definition, owner] = [def, key];
    else if (!sameDefinition(definition, def)) {
      throw new SluiceError(
        "MIXED_PARTITIONS",
        `the selection mixes partitions: ${owner} is ${describePartitions(definition)} but ${key} is ${describePartitions(def)}; one run materializes one partition space, so select them in separate runs`,
        { assets: [owner, key] }
      );
    }
  }
  if (!definition) {
    if (partition !== void 0) {
      throw new SluiceError("UNPARTITIONED_SELECTION", `${where} "${partition}" given, but no selected asset is partitioned; drop ${where}`, { partition });
    }
    return { partition: null, keys: [], definition: void 0, tags: {} };
  }
  if (partition === void 0) {
    const last = lastPartitionKey(definition, now);
    throw new SluiceError(
      "PARTITION_REQUIRED",
      `${owner} is partitioned (${describePartitions(definition)}): pass --partition KEY${last ? ` (latest: ${last})` : ""} or --partition-range FROM...TO, or start a backfill with \`sluice backfill\``,
      { asset: owner, partitions: describePartitions(definition), last }
    );
  }
  const range = parsePartitionRange(partition);
  if (range) {
    const rangeKeys = partitionKeyRange(definition, range.from, range.to, now, where, owner);
    const text = formatPartitionRange(range.from, range.to);
    return { partition: text, keys: rangeKeys, definition, tags: partitionTags(text) };
  }
  assertPartitionKey(definition, partition, now, where, owner);
  return { partition, keys: [partition], definition, tags: partitionTags(partition) };
}
function partitionTags(partition) {
  const range = parsePartitionRange(partition);
  return range ? { [PARTITION_RANGE_START_TAG]: range.from, [PARTITION_RANGE_END_TAG]: range.to } : { [PARTITION_TAG]: partition };
}
function partitionPlan(graph, plan, partitions) {
  if (partitions.keys.length === 0) return plan;
  const keys = Object.freeze([...partitions.keys]);
  return Object.freeze({
    steps: Object.freeze(plan.steps.map((step) => graph.get(step.assetKey).partitions ? Object.freeze({ ...step, partitions: keys }) : step))
  });
}
var PARTITION_TAG, PARTITION_RANGE_START_TAG, PARTITION_RANGE_END_TAG;
var init_run_partitions = __esm({
  "src/core/plan/run-partitions.ts"() {
    "use strict";
    init_errors();
    init_assert_partition_key();
    init_describe_partitions();
    init_partition_keys();
    init_partition_range();
    PARTITION_TAG = "sluice/partition";
    PARTITION_RANGE_START_TAG = "sluice/partition_range_start";
    PARTITION_RANGE_END_TAG = "sluice/partition_range_end";
  }
});

// src/execution/launch-run.ts
import { randomUUID as randomUUID2 } from "node:crypto";
async function applyGating(deps, keys, allowFailedChecks, tags) {
  if (allowFailedChecks) {
    tags[ALLOW_FAILED_CHECKS_TAG] = "true";
    return;
  }
  const candidates = gateCandidates(deps.graph, keys);
  if (candidates.length === 0) return;
  const gates = failedGates(deps.graph, keys, await deps.instance.latestCheckResults(candidates));
  if (gates.length > 0) throw new FailedCheckGateError(gates);
}
function onlySelected(config, keys) {
  if (config === null || typeof config !== "object" || Array.isArray(config)) return config;
  return Object.fromEntries(Object.entries(config).filter(([key]) => keys.has(key)));
}
function validateTags(given) {
  const tags = { ...given };
  for (const [k, v] of Object.entries(tags)) {
    if (!TAG_KEY.test(k) || typeof v !== "string") {
      throw new SluiceError("INVALID_TAG", `invalid run tag "${k}": keys use letters, digits, "_", "-", ".", "/" and values are strings`, { tag: k });
    }
  }
  return tags;
}
async function launchRun(deps, request) {
  const where = request.selectionSource ?? "--select";
  const keys = await selectWithStatus(deps.instance, deps.graph, request.selection, request.now);
  if (keys.size === 0) throw new EmptySelectionError(request.selection, where);
  const partitions = resolveRunPartitions(deps.graph, keys, request.partition, request.now, request.partitionSource);
  const config = validateRunConfig(deps.graph, keys, request.configRef ? onlySelected(request.config, keys) : request.config);
  const tags = validateTags(request.tags ?? {});
  Object.assign(tags, partitions.tags);
  await applyGating(deps, keys, request.allowFailedChecks === true, tags);
  const plan = partitionPlan(deps.graph, buildPlan(deps.graph, keys), partitions);
  return deps.instance.createRun({
    id: request.runId ?? randomUUID2(),
    selection: request.selection,
    trigger: request.trigger,
    tags,
    config,
    configRef: request.configRef ?? null,
    steps: plan.steps,
    at: request.now,
    partition: partitions.partition
  });
}
var ALLOW_FAILED_CHECKS_TAG, EmptySelectionError, TAG_KEY;
var init_launch_run = __esm({
  "src/execution/launch-run.ts"() {
    "use strict";
    init_errors();
    init_failed_check_gate_error();
    init_failed_gates();
    init_execution_plan();
    init_run_partitions();
    init_validate_run_config();
    init_asset_statuses();
    ALLOW_FAILED_CHECKS_TAG = "sluice/allow_failed_checks";
    EmptySelectionError = class extends SluiceError {
      constructor(selection, where) {
        super("EMPTY_SELECTION", `${where} "${selection}" selects no assets; run \`sluice assets list\` to see what exists`, {
          selection,
          where
        });
      }
    };
    TAG_KEY = /^[A-Za-z0-9_.\/-]+$/;
  }
});

// src/execution/bullmq/cancel-bus.ts
var CancelBus;
var init_cancel_bus = __esm({
  "src/execution/bullmq/cancel-bus.ts"() {
    "use strict";
    CancelBus = class {
      constructor(connection, channel) {
        this.connection = connection;
        this.channel = channel;
      }
      connection;
      channel;
      subscriber;
      static channelFor(prefix) {
        return `${prefix}:cancel`;
      }
      publish(runId) {
        return this.connection.publish(this.channel, runId);
      }
      /** Calls `onCancel(runId)` for every cancellation published from now on. */
      async subscribe(onCancel) {
        this.subscriber = this.connection.duplicate();
        this.subscriber.on("error", () => {
        });
        this.subscriber.on("message", (channel, message) => {
          if (channel === this.channel) onCancel(message);
        });
        await this.subscriber.subscribe(this.channel);
      }
      async close() {
        this.subscriber?.disconnect();
        this.subscriber = void 0;
      }
    };
  }
});

// src/execution/bullmq/step-job.ts
function poolQueueName(pool) {
  return `steps-pool-${pool}`;
}
function stepJobId(runId, stepKey, attempt) {
  return `${runId}__${stepKey}__${attempt}`;
}
var STEPS_QUEUE;
var init_step_job = __esm({
  "src/execution/bullmq/step-job.ts"() {
    "use strict";
    STEPS_QUEUE = "steps";
  }
});

// src/execution/bullmq/step-queue.ts
import { Queue } from "bullmq";
var ENQUEUE_BATCH, StepQueue;
var init_step_queue = __esm({
  "src/execution/bullmq/step-queue.ts"() {
    "use strict";
    init_step_job();
    ENQUEUE_BATCH = 1e3;
    StepQueue = class {
      constructor(connection, prefix, pools) {
        this.connection = connection;
        this.prefix = prefix;
        this.pools = pools;
      }
      connection;
      prefix;
      pools;
      queues = /* @__PURE__ */ new Map();
      /** Sets each pool queue's global concurrency to its configured limit. */
      async applyPoolLimits() {
        for (const [pool, limit] of Object.entries(this.pools)) await this.queue(poolQueueName(pool)).setGlobalConcurrency(limit);
      }
      queueNames() {
        return [STEPS_QUEUE, ...Object.keys(this.pools).map(poolQueueName)];
      }
      queueFor(pool) {
        return pool !== void 0 && pool in this.pools ? poolQueueName(pool) : STEPS_QUEUE;
      }
      async enqueue(steps) {
        const byQueue = /* @__PURE__ */ new Map();
        for (const step of steps) {
          const name = this.queueFor(step.pool);
          const list = byQueue.get(name);
          if (list) list.push(step);
          else byQueue.set(name, [step]);
        }
        for (const [name, list] of byQueue) {
          const pool = list[0].pool;
          if (name !== STEPS_QUEUE && pool !== void 0) await this.queue(name).setGlobalConcurrency(this.pools[pool]);
          for (let i = 0; i < list.length; i += ENQUEUE_BATCH) await this.addBatch(name, list.slice(i, i + ENQUEUE_BATCH));
        }
      }
      async addBatch(name, list) {
        await this.queue(name).addBulk(
          list.map((s) => ({
            name: "step",
            data: { runId: s.runId, stepKey: s.stepKey, attempt: s.attempt },
            opts: {
              jobId: stepJobId(s.runId, s.stepKey, s.attempt),
              removeOnComplete: true,
              removeOnFail: 1e3,
              // Infrastructure failures (storage unreachable) are retried by BullMQ; user-code failures
              // never reach it (the step runner records them).
              attempts: 20,
              backoff: { type: "exponential", delay: 500 },
              ...s.delayMs ? { delay: s.delayMs } : {}
            }
          }))
        );
      }
      /** Whether the job of this step attempt exists in any queue (waiting, delayed or active). */
      async has(runId, stepKey, attempt, pool) {
        const job = await this.queue(this.queueFor(pool)).getJob(stepJobId(runId, stepKey, attempt));
        return job !== void 0;
      }
      /** Removes the waiting or delayed job of a step attempt (an active one stays; its lock protects it). */
      async remove(runId, stepKey, attempt, pool) {
        try {
          await this.queue(this.queueFor(pool)).remove(stepJobId(runId, stepKey, attempt));
        } catch {
        }
      }
      /** Waiting + delayed + active jobs over all step queues. */
      async depth() {
        const out = {};
        for (const name of this.queueNames()) {
          const counts = await this.queue(name).getJobCounts("waiting", "delayed", "active", "prioritized");
          out[name] = Object.values(counts).reduce((a, b) => a + b, 0);
        }
        return out;
      }
      async close() {
        await Promise.all([...this.queues.values()].map((q) => q.close()));
        this.queues.clear();
      }
      queue(name) {
        let queue = this.queues.get(name);
        if (!queue) {
          queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
          queue.on("error", () => {
          });
          this.queues.set(name, queue);
        }
        return queue;
      }
    };
  }
});

// src/execution/bullmq/bullmq-launcher.ts
var BullmqLauncher;
var init_bullmq_launcher = __esm({
  "src/execution/bullmq/bullmq-launcher.ts"() {
    "use strict";
    init_execution_plan();
    init_finish_run();
    init_cancel_bus();
    init_step_queue();
    BullmqLauncher = class {
      constructor(instance, graph, redis, prefix, pools, now = () => /* @__PURE__ */ new Date()) {
        this.instance = instance;
        this.graph = graph;
        this.now = now;
        this.queue = new StepQueue(redis, prefix, pools);
        this.cancelBus = new CancelBus(redis, CancelBus.channelFor(prefix));
      }
      instance;
      graph;
      now;
      kind = "bullmq";
      queue;
      cancelBus;
      /** The pool of a step's asset, when the project is known here (the daemon may run without it). */
      poolOf(stepKey) {
        const { kind, assetKey } = parseStepKey(stepKey);
        return kind === "asset" && this.graph?.has(assetKey) ? this.graph.get(assetKey).pool : void 0;
      }
      async start(runId) {
        await this.enqueueReady(runId);
      }
      /** Enqueues every ready step of the run (idempotent: job ids are deterministic). */
      async enqueueReady(runId) {
        const steps = await this.instance.listSteps(runId);
        const ready = await this.instance.readySteps(runId);
        const attemptOf = new Map(steps.map((s) => [s.key, s.attempt]));
        await this.queue.enqueue(ready.map((key) => ({ runId, stepKey: key, attempt: (attemptOf.get(key) ?? 0) + 1, pool: this.poolOf(key) })));
        return ready;
      }
      async cancel(runId) {
        const at = this.now();
        const run2 = await this.instance.getRun(runId);
        if (!run2) return;
        if (run2.status === "QUEUED") {
          await this.instance.setRunStatus(runId, "CANCELED", at);
          return;
        }
        if (run2.status === "STARTED") await this.instance.setRunStatus(runId, "CANCELING", at);
        const pending = (await this.instance.listSteps(runId)).filter((s) => s.status === "PENDING");
        await this.instance.cancelPendingSteps(runId, at);
        await Promise.all(pending.map((s) => this.queue.remove(runId, s.key, s.attempt + 1, this.poolOf(s.key))));
        await this.cancelBus.publish(runId);
        await finishRunIfDone(this.instance, runId, at);
      }
      active() {
        return [];
      }
      async close() {
        await this.queue.close();
      }
    };
  }
});

// src/execution/bullmq/redis-connection.ts
import { Redis } from "ioredis";
function createRedis(url, options = {}) {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2e3),
    ...options
  });
}
function describeRedisUrl(url) {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "6379"}`;
  } catch {
    return "the configured Redis";
  }
}
var init_redis_connection = __esm({
  "src/execution/bullmq/redis-connection.ts"() {
    "use strict";
  }
});

// src/runtime/distributed.ts
var distributed_exports = {};
__export(distributed_exports, {
  bullmqLauncher: () => bullmqLauncher,
  connectRedis: () => connectRedis,
  requireRedisUrl: () => requireRedisUrl
});
function requireRedisUrl(settings, what) {
  if (!settings.redisUrl) {
    throw new SluiceError("REDIS_REQUIRED", `${what} needs Redis: set SLUICE_REDIS_URL (e.g. redis://127.0.0.1:6379) and SLUICE_DATABASE_URL`, { what });
  }
  if (!settings.databaseUrl) {
    throw new SluiceError(
      "DATABASE_REQUIRED",
      `${what} needs a server Postgres shared by every process: set SLUICE_DATABASE_URL (the embedded PGlite store is single-process)`,
      { what }
    );
  }
  return settings.redisUrl;
}
async function connectRedis(url, timeoutMs = 1e4) {
  const redis = createRedis(url);
  redis.on("error", () => {
  });
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref())
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new SluiceError(
      "REDIS_UNAVAILABLE",
      `cannot reach Redis at ${describeRedisUrl(url)}: ${error.message}; start it (docker compose up -d redis) or fix SLUICE_REDIS_URL`,
      {},
      { kind: "internal" }
    );
  }
}
function bullmqLauncher(settings, instance, graph, redis) {
  return new BullmqLauncher(instance, graph, redis, settings.redisPrefix, settings.pools);
}
var init_distributed = __esm({
  "src/runtime/distributed.ts"() {
    "use strict";
    init_errors();
    init_bullmq_launcher();
    init_redis_connection();
  }
});

// src/runtime/follow-run.ts
async function followRun(service, runId, onEvent, options = {}) {
  let afterId = 0;
  for (; ; ) {
    let events;
    try {
      events = await service.events(runId, afterId);
    } catch {
      await new Promise((r) => setTimeout(r, 1e3));
      continue;
    }
    let ended = false;
    for (const event of events) {
      onEvent(event);
      afterId = event.id;
      if (ENDS.has(event.type)) ended = true;
    }
    if (ended) return service.summary(runId);
    if (events.length === 0) await new Promise((r) => setTimeout(r, options.intervalMs ?? 150));
  }
}
var ENDS;
var init_follow_run = __esm({
  "src/runtime/follow-run.ts"() {
    "use strict";
    ENDS = /* @__PURE__ */ new Set(["RUN_SUCCESS", "RUN_FAILURE", "RUN_CANCELED"]);
  }
});

// src/cli/output/progress.ts
var MARK, ProgressPrinter;
var init_progress = __esm({
  "src/cli/output/progress.ts"() {
    "use strict";
    init_format();
    MARK = { STEP_SUCCEEDED: "\u2713", STEP_FAILED: "\u2717", STEP_SKIPPED: "-", STEP_CANCELED: "-", STEP_STARTED: "\u203A" };
    ProgressPrinter = class {
      constructor(out, totalSteps) {
        this.out = out;
        this.totalSteps = totalSteps;
      }
      out;
      totalSteps;
      done = 0;
      running = 0;
      barShown = false;
      pendingMetadata = /* @__PURE__ */ new Map();
      onEvent(event) {
        switch (event.type) {
          case "STEP_STARTED":
            this.running++;
            this.line(`${MARK.STEP_STARTED} ${event.stepKey} started${event.data.attempt > 1 ? ` (attempt ${event.data.attempt})` : ""}`);
            break;
          case "MATERIALIZATION":
            this.pendingMetadata.set(event.stepKey, metadataLine(event.data.metadata));
            break;
          case "CHECK_EVALUATION":
            this.pendingMetadata.set(
              event.stepKey,
              `${event.data.passed ? "passed" : `FAILED (${event.data.severity}${event.data.blocking ? ", blocking" : ""})`} ${metadataLine(event.data.metadata)}`.trim()
            );
            break;
          case "STEP_SUCCEEDED":
            this.running--;
            this.done++;
            this.line(`${MARK.STEP_SUCCEEDED} ${event.stepKey} succeeded in ${duration(event.data.durationMs)} ${this.takeMetadata(event.stepKey)}`.trimEnd());
            break;
          case "STEP_FAILED":
            this.running--;
            if (event.data.willRetry) {
              this.line(`\u21BB ${event.stepKey} failed (attempt ${event.data.attempt}), retrying in ${duration(event.data.retryDelayMs ?? 0)}: ${event.data.error.message}`);
            } else {
              this.done++;
              this.line(`${MARK.STEP_FAILED} ${event.stepKey} failed after ${duration(event.data.durationMs)}: ${event.data.error.message} ${this.takeMetadata(event.stepKey)}`.trimEnd());
            }
            break;
          case "STEP_SKIPPED":
            this.done++;
            this.line(`${MARK.STEP_SKIPPED} ${event.stepKey} skipped: ${event.data.reason}`);
            break;
          case "STEP_CANCELED":
            this.done++;
            this.line(`${MARK.STEP_CANCELED} ${event.stepKey} canceled`);
            break;
          case "RUN_CANCELING":
            this.line("canceling: waiting for running steps to stop");
            break;
          default:
            return;
        }
      }
      /** Clears the bar before the final summary. */
      finish() {
        if (this.barShown) this.out.write("\r\x1B[2K");
        this.barShown = false;
      }
      takeMetadata(stepKey) {
        const text = stepKey && this.pendingMetadata.get(stepKey) || "";
        if (stepKey) this.pendingMetadata.delete(stepKey);
        return text;
      }
      line(text) {
        if (!this.out.isTTY) {
          this.out.write(`${text}
`);
          return;
        }
        if (this.barShown) this.out.write("\r\x1B[2K");
        const width = this.out.columns ?? 120;
        this.out.write(`${text.length > width ? `${text.slice(0, width - 1)}\u2026` : text}
`);
        this.out.write(this.bar());
        this.barShown = true;
      }
      bar() {
        const width = Math.max(10, Math.min(40, (this.out.columns ?? 80) - 40));
        const filled = this.totalSteps === 0 ? width : Math.round(this.done / this.totalSteps * width);
        return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${this.done}/${this.totalSteps} steps, ${this.running} running`;
      }
    };
  }
});

// src/cli/commands/config-name-option.ts
function configNameOption(opts) {
  if (opts.configName === void 0) return void 0;
  if (opts.config !== void 0) {
    throw new SluiceError("INVALID_FLAG", "give --config FILE or --config-name NAME, not both", { flag: "--config-name" });
  }
  return parseConfigRef(opts.configName);
}
async function namedLaunchConfig(instance, ref) {
  if (!ref) return {};
  const record = await loadNamedConfig(instance, ref.name, ref.version);
  return { config: record.body, configRef: { name: record.name, version: record.version } };
}
function configNameBody(opts) {
  const ref = opts.configName === void 0 ? void 0 : parseConfigRef(opts.configName);
  if (!ref) return {};
  return { configName: ref.name, ...ref.version === void 0 ? {} : { configVersion: ref.version } };
}
var init_config_name_option = __esm({
  "src/cli/commands/config-name-option.ts"() {
    "use strict";
    init_errors();
    init_named_config();
    init_named_run_config();
  }
});

// src/cli/commands/partition-option.ts
function partitionOption(opts) {
  if (opts.partition !== void 0 && opts.partitionRange !== void 0) {
    throw new SluiceError("INVALID_FLAG", "--partition and --partition-range are mutually exclusive: give one key, or one range FROM...TO", { flag: "--partition-range" });
  }
  if (opts.partition !== void 0) {
    if (opts.partition.includes(RANGE_SEPARATOR)) {
      throw new SluiceError("INVALID_FLAG", `--partition "${opts.partition}" is a range; pass it as --partition-range ${opts.partition}`, { flag: "--partition", value: opts.partition });
    }
    return { partition: opts.partition, source: "--partition" };
  }
  if (opts.partitionRange === void 0) return void 0;
  const range = parsePartitionRange(opts.partitionRange);
  if (!range || range.from === "" || range.to === "") {
    throw new SluiceError(
      "INVALID_FLAG",
      `--partition-range "${opts.partitionRange}" is not a range: write FROM${RANGE_SEPARATOR}TO (e.g. 2024-10-01${RANGE_SEPARATOR}2024-10-07), or use --partition for one key`,
      { flag: "--partition-range", value: opts.partitionRange }
    );
  }
  return { partition: opts.partitionRange, source: "--partition-range" };
}
var init_partition_option = __esm({
  "src/cli/commands/partition-option.ts"() {
    "use strict";
    init_errors();
    init_partition_range();
  }
});

// src/cli/commands/runs.ts
var runs_exports = {};
__export(runs_exports, {
  cancelLocally: () => cancelLocally,
  formatEvent: () => formatEvent,
  parseSince: () => parseSince,
  printRunSummary: () => printRunSummary,
  runsCancel: () => runsCancel,
  runsList: () => runsList,
  runsLogs: () => runsLogs,
  runsShow: () => runsShow
});
async function withRuns(cmd, fn) {
  const opened = await openRunService(settingsFor(cmd));
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}
function parseSince(value, now = /* @__PURE__ */ new Date()) {
  const age = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  if (age) {
    const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[age[2]];
    return new Date(now.getTime() - Number(age[1]) * unit);
  }
  const at = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new SluiceError("INVALID_FLAG", `--since "${value}" is neither an ISO-8601 instant (2026-11-22T06:00:00Z) nor an age (30m, 24h, 7d)`, { flag: "--since", value });
  }
  return at;
}
async function runsList(cmd, opts) {
  const limit = opts.limit === void 0 ? 50 : parsePositiveInt(opts.limit, "--limit");
  const statuses = opts.status?.split(",").map((s) => s.trim().toUpperCase());
  for (const s of statuses ?? []) {
    if (!STATUSES.includes(s)) {
      throw new SluiceError("INVALID_FLAG", `--status "${s}" is not one of ${STATUSES.join(", ")}`, { flag: "--status" });
    }
  }
  const since = opts.since === void 0 ? void 0 : parseSince(opts.since);
  const rows = await withRuns(
    cmd,
    ({ service }) => service.listRuns({
      limit,
      ...statuses ? { statuses } : {},
      ...opts.tag ? { tags: opts.tag } : {},
      ...since ? { since } : {}
    })
  );
  if (opts.json) printJson(rows);
  else if (rows.length === 0) process.stdout.write("no runs yet\n");
  else {
    const lines = rows.map((r) => [r.runId, r.status, r.trigger, r.createdAt, duration(r.durationMs), r.selection]);
    process.stdout.write(`${table(["RUN", "STATUS", "TRIGGER", "CREATED", "DURATION", "SELECTION"], lines)}
`);
  }
  return EXIT.ok;
}
function printRunSummary(summary, out) {
  out.write(`run ${summary.runId}  ${summary.status}  ${duration(summary.durationMs)}  trigger=${summary.trigger}  select=${summary.selection}
`);
  if (Object.keys(summary.tags).length > 0) out.write(`tags: ${metadataLine(summary.tags)}
`);
  if (summary.status === "QUEUED") out.write(`queued: ${summary.queueReason ?? "waiting for the daemon to start it"}
`);
  if (summary.configRef) out.write(`config: ${summary.configRef.name}@${summary.configRef.version}
`);
  if (summary.partition) out.write(`partition: ${summary.partition}${summary.backfillId ? `  (backfill ${summary.backfillId})` : ""}
`);
  const rows = summary.steps.map((s) => [
    s.key,
    s.status,
    String(s.attempts),
    duration(s.durationMs),
    s.worker ?? "-",
    s.check ? `${s.check.passed ? "passed" : "FAILED"} [${s.check.severity}${s.check.blocking ? ", blocking" : ""}] ${metadataLine(s.check.metadata)}${s.check.description ? ` ${s.check.description}` : ""}`.trim() : s.error ? `${s.error.message}` : metadataLine(s.materialization?.metadata)
  ]);
  out.write(`${table(["STEP", "STATUS", "ATTEMPTS", "DURATION", "WORKER", "RESULT"], rows)}
`);
  if (summary.error && summary.status !== "SUCCESS") out.write(`error: ${summary.error.message}
`);
}
async function runsShow(cmd, runId, opts) {
  const summary = await withRuns(cmd, ({ service }) => service.summary(runId));
  if (opts.json) printJson(summary);
  else printRunSummary(summary, process.stdout);
  return EXIT.ok;
}
function formatEvent(event) {
  const head = `${event.at.toISOString()} ${event.stepKey ?? "(run)"}`;
  switch (event.type) {
    case "LOG": {
      const fields = event.data.fields ? ` ${JSON.stringify(event.data.fields)}` : "";
      return `${head} ${event.data.level.toUpperCase()} ${event.data.msg}${fields}`;
    }
    case "STEP_FAILED":
      return `${head} STEP_FAILED attempt=${event.data.attempt}${event.data.willRetry ? " (will retry)" : ""}: ${event.data.error.message}`;
    case "MATERIALIZATION":
      return `${head} MATERIALIZATION ${metadataLine(event.data.metadata)}`.trimEnd();
    case "CHECK_EVALUATION":
      return `${head} CHECK ${event.data.checkName} ${event.data.passed ? "passed" : "failed"} ${metadataLine(event.data.metadata)}`.trimEnd();
    case "RUN_FAILURE":
      return `${head} RUN_FAILURE${event.data.error ? `: ${event.data.error.message}` : ""}`;
    case "STEP_SKIPPED":
      return `${head} STEP_SKIPPED: ${event.data.reason}`;
    default:
      return `${head} ${event.type}`;
  }
}
async function runsLogs(cmd, runId, opts) {
  const events = await withRuns(cmd, async ({ service }) => {
    await service.summary(runId);
    return service.events(runId, 0);
  });
  if (opts.json) printJson(events);
  else for (const event of events) process.stdout.write(`${formatEvent(event)}
`);
  return EXIT.ok;
}
async function runsCancel(cmd, runId, opts) {
  const settings = settingsFor(cmd);
  const status = await withRuns(cmd, async (opened) => {
    if (opened.kind === "remote") {
      await opened.service.summary(runId);
      return opened.service.cancel(runId);
    }
    return cancelLocally(settings, opened.instance, runId);
  });
  if (opts.json) printJson({ runId, status });
  else process.stdout.write(`run ${runId}: ${status}${status === "CANCELING" ? " (running steps are stopping)" : ""}
`);
  return EXIT.ok;
}
async function cancelLocally(settings, instance, runId) {
  const run2 = await instance.getRun(runId);
  if (!run2) throw new UnknownRunError(runId);
  if (isTerminalRunStatus(run2.status)) {
    throw new SluiceError("RUN_ALREADY_ENDED", `run ${runId} already ended ${run2.status}; nothing to cancel`, { runId, status: run2.status });
  }
  if (settings.redisUrl) {
    const { bullmqLauncher: bullmqLauncher2, connectRedis: connectRedis2, requireRedisUrl: requireRedisUrl2 } = await Promise.resolve().then(() => (init_distributed(), distributed_exports));
    const redis = await connectRedis2(requireRedisUrl2(settings, "sluice runs cancel"));
    try {
      const launcher = bullmqLauncher2(settings, instance, void 0, redis);
      await launcher.cancel(runId);
      await launcher.close();
    } finally {
      redis.disconnect();
    }
  } else {
    const at = /* @__PURE__ */ new Date();
    for (const step of (await instance.listSteps(runId)).filter((s) => s.status === "RUNNING")) {
      await instance.finishStep(runId, step.key, { status: "CANCELED", attempt: step.attempt, at, durationMs: 0 });
    }
    if (run2.status === "QUEUED") await instance.setRunStatus(runId, "CANCELED", at);
    else await finishRunIfDone(instance, runId, at, { cancelRequested: true });
  }
  return (await instance.getRun(runId)).status;
}
var STATUSES;
var init_runs = __esm({
  "src/cli/commands/runs.ts"() {
    "use strict";
    init_errors();
    init_run_status();
    init_finish_run();
    init_run_summary();
    init_open_run_service();
    init_cli_context();
    init_format();
    STATUSES = ["QUEUED", "STARTED", "SUCCESS", "FAILURE", "CANCELING", "CANCELED"];
  }
});

// src/cli/commands/materialize.ts
var materialize_exports = {};
__export(materialize_exports, {
  materialize: () => materialize,
  readConfigFile: () => readConfigFile
});
import { readFileSync as readFileSync3 } from "node:fs";
import { resolve as resolve4 } from "node:path";
function readConfigFile(path) {
  const file = resolve4(path);
  let text;
  try {
    text = readFileSync3(file, "utf8");
  } catch (error) {
    throw new SluiceError("CONFIG_FILE", `cannot read --config file ${file}: ${error.message}`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SluiceError("CONFIG_FILE", `--config file ${file} is not valid JSON: ${error.message}`, { file });
  }
}
function exitFor(status) {
  return status === "SUCCESS" ? EXIT.ok : status === "CANCELED" ? EXIT.canceled : EXIT.failed;
}
function cancelOnInterrupt(out, cancel) {
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      out.write("\ninterrupt: canceling the run (press Ctrl-C again to exit at once)\n");
      cancel();
    } else process.exit(EXIT.canceled);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
function finish(summary, json) {
  if (json) printJson(summary);
  else printRunSummary(summary, process.stdout);
  return exitFor(summary.status);
}
async function materialize(cmd, opts) {
  const settings = settingsFor(cmd);
  const concurrency = opts.concurrency === void 0 ? 4 : parsePositiveInt(opts.concurrency, "--concurrency");
  const configName = configNameOption(opts);
  const partition = partitionOption(opts);
  const config = opts.config === void 0 ? void 0 : readConfigFile(opts.config);
  const out = opts.json ? process.stderr : process.stdout;
  const embeddedDaemon = settings.databaseUrl ? void 0 : readDaemonAddress(settings.projectDir);
  if (embeddedDaemon) return materializeThroughDaemon(new RemoteRunService(embeddedDaemon), opts, config, partition?.partition, out);
  const distributed = settings.redisUrl !== void 0 && !opts.inProcess;
  const redisUrl = distributed ? requireRedisUrl(settings, "sluice materialize (distributed)") : void 0;
  const runtime = await openRuntime(settings);
  const redis = redisUrl ? await connectRedis(redisUrl) : void 0;
  try {
    const run2 = await launchRun(
      { instance: runtime.instance, graph: runtime.project.graph },
      { selection: opts.select, config, ...await namedLaunchConfig(runtime.instance, configName), tags: opts.tag ?? {}, trigger: "cli", now: /* @__PURE__ */ new Date(), allowFailedChecks: opts.allowFailedChecks === true, ...partition ? { partition: partition.partition, partitionSource: partition.source } : {} }
    );
    const steps = await runtime.instance.listSteps(run2.id);
    out.write(`run ${run2.id}: ${steps.length} step(s) for --select ${JSON.stringify(opts.select)}${run2.partition ? ` partition ${run2.partition}` : ""}
`);
    const progress = new ProgressPrinter(out, steps.length);
    if (redis) {
      await announceQueuedRun(redis, settings.redisPrefix, run2.id);
      if (opts.detach) {
        if (opts.json) printJson({ runId: run2.id, status: run2.status });
        return EXIT.ok;
      }
      const daemons = (await runtime.instance.listHeartbeats()).filter((b) => b.kind === "daemon" && Date.now() - b.at.getTime() <= settings.workerTimeoutMs);
      if (daemons.length === 0) out.write("warning: no sluice daemon is running; the run stays QUEUED until one starts\n");
      const launcher = bullmqLauncher(settings, runtime.instance, runtime.project.graph, redis);
      const uninstall2 = cancelOnInterrupt(out, () => void launcher.cancel(run2.id).catch(() => {
      }));
      try {
        return finish(await followRun(new LocalRunService(runtime.instance), run2.id, (event) => progress.onEvent(event)), opts.json);
      } finally {
        uninstall2();
        progress.finish();
        await launcher.close();
      }
    }
    const abort = new AbortController();
    const uninstall = cancelOnInterrupt(out, () => abort.abort());
    const heartbeat2 = new HeartbeatWriter(runtime.instance, "worker", () => ({ inProcessRun: run2.id, concurrency }));
    await heartbeat2.start();
    try {
      const host = runtime.stepHost({ onEvent: (event) => progress.onEvent(event), ...opts.verbose ? { logDestination: process.stderr } : {} });
      await new InProcessExecutor(host, { concurrency }).execute(run2.id, abort.signal);
    } finally {
      uninstall();
      progress.finish();
      await heartbeat2.stop();
    }
    return finish(await describeRun(runtime.instance, run2.id), opts.json);
  } finally {
    redis?.disconnect();
    await runtime.close();
  }
}
async function materializeThroughDaemon(service, opts, config, partition, out) {
  const launched = await service.launch({
    selection: opts.select,
    ...config === void 0 ? {} : { config },
    ...configNameBody(opts),
    tags: opts.tag ?? {},
    trigger: "cli",
    ...opts.allowFailedChecks ? { allowFailedChecks: true } : {},
    ...partition === void 0 ? {} : { partition }
  });
  out.write(`run ${launched.runId}: ${launched.steps} step(s) for --select ${JSON.stringify(opts.select)} (executed by the sluice daemon)
`);
  if (opts.detach) {
    if (opts.json) printJson({ runId: launched.runId, status: launched.status });
    return EXIT.ok;
  }
  const progress = new ProgressPrinter(out, launched.steps);
  const uninstall = cancelOnInterrupt(out, () => void service.cancel(launched.runId).catch(() => {
  }));
  try {
    return finish(await followRun(service, launched.runId, (event) => progress.onEvent(event)), opts.json);
  } finally {
    uninstall();
    progress.finish();
  }
}
var init_materialize = __esm({
  "src/cli/commands/materialize.ts"() {
    "use strict";
    init_errors();
    init_run_wakeup();
    init_heartbeat_writer();
    init_in_process_executor();
    init_launch_run();
    init_distributed();
    init_follow_run();
    init_run_summary();
    init_embedded_daemon();
    init_run_service();
    init_runtime();
    init_cli_context();
    init_progress();
    init_config_name_option();
    init_partition_option();
    init_runs();
  }
});

// src/core/run/run-queue-policy.ts
function concurrencyLimitOf(run2) {
  const value = Number(run2.tags[CONCURRENCY_LIMIT_TAG]);
  return Number.isInteger(value) && value > 0 ? value : 1;
}
function priorityOf(run2) {
  const value = Number(run2.tags[PRIORITY_TAG]);
  return Number.isFinite(value) ? value : 0;
}
function pickRunsToStart(queued, active, limits) {
  const order = [...queued].sort((a, b) => priorityOf(b) - priorityOf(a) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const running = [...active];
  const start = [];
  const held = /* @__PURE__ */ new Map();
  for (const run2 of order) {
    if (limits.maxConcurrentRuns !== void 0 && running.length >= limits.maxConcurrentRuns) {
      held.set(run2.id, `waiting for a run slot: ${running.length} of SLUICE_MAX_CONCURRENT_RUNS=${limits.maxConcurrentRuns} in use`);
      continue;
    }
    const blocking = limits.tagLimits.find((limit) => {
      const value = run2.tags[limit.key];
      if (value === void 0 || limit.value !== void 0 && value !== limit.value) return false;
      return running.filter((r) => r.tags[limit.key] === value).length >= limit.limit;
    });
    if (blocking) {
      held.set(run2.id, `waiting for tag limit ${blocking.key}=${blocking.value ?? run2.tags[blocking.key]} (at most ${blocking.limit} at once)`);
      continue;
    }
    const serial = run2.tags[SERIAL_TAG];
    if (serial !== void 0 && running.some((r) => r.tags[SERIAL_TAG] === serial)) {
      held.set(run2.id, `waiting for the previous run with ${SERIAL_TAG}=${serial} to finish (one at a time)`);
      continue;
    }
    const key = run2.tags[CONCURRENCY_KEY_TAG];
    if (key !== void 0) {
      const limit = concurrencyLimitOf(run2);
      const inUse = running.filter((r) => r.tags[CONCURRENCY_KEY_TAG] === key).length;
      if (inUse >= limit) {
        held.set(run2.id, `waiting for ${CONCURRENCY_KEY_TAG}=${key}: ${inUse} of ${limit} run(s) at once in use`);
        continue;
      }
    }
    start.push(run2.id);
    running.push(run2);
  }
  return { start, held };
}
var PRIORITY_TAG, SERIAL_TAG, CONCURRENCY_KEY_TAG, CONCURRENCY_LIMIT_TAG;
var init_run_queue_policy = __esm({
  "src/core/run/run-queue-policy.ts"() {
    "use strict";
    PRIORITY_TAG = "sluice/priority";
    SERIAL_TAG = "sluice/serial";
    CONCURRENCY_KEY_TAG = "sluice/concurrency_key";
    CONCURRENCY_LIMIT_TAG = "sluice/concurrency_limit";
  }
});

// src/execution/launch-backfill.ts
import { randomUUID as randomUUID3 } from "node:crypto";
function parseBackfillPolicy(text, where = "--policy") {
  if (text === "per-partition" || text === "single-run") return { kind: text };
  const chunks = /^chunks:(\d+)$/.exec(text);
  if (chunks && Number(chunks[1]) > 0) return { kind: "chunks", size: Number(chunks[1]) };
  throw new SluiceError("INVALID_FLAG", `${where} "${text}" is not one of per-partition, single-run, chunks:N (N >= 1)`, { flag: where, value: text });
}
async function launchBackfill(deps, request) {
  const keys = await selectWithStatus(deps.instance, deps.graph, request.selection, request.now);
  if (keys.size === 0) throw new EmptySelectionError(request.selection, "--select");
  const unpartitioned = [...keys].filter((key) => !deps.graph.get(key).partitions);
  if (unpartitioned.length > 0) {
    throw new SluiceError(
      "UNPARTITIONED_SELECTION",
      `backfill --select "${request.selection}" includes unpartitioned asset(s) ${unpartitioned.slice(0, 5).join(", ")}${unpartitioned.length > 5 ? ", ..." : ""}: a backfill materializes partitions; select only partitioned assets (add \`and not key:${unpartitioned[0]}\`), then materialize what is downstream once`,
      { unpartitioned }
    );
  }
  const whole = resolveRunPartitions(deps.graph, keys, formatPartitionRange(request.from, request.to), request.now, "--from/--to");
  const partitionKeys2 = request.onlyFailed || request.onlyMissing ? await targetedKeys(deps.instance, keys, whole.keys, request) : whole.keys;
  const config = validateRunConfig(deps.graph, keys, request.configRef ? onlySelected(request.config, keys) : request.config);
  const tags = validateTags(request.tags ?? {});
  await applyGating(deps, keys, request.allowFailedChecks === true, tags);
  const id = request.id ?? randomUUID3();
  tags[BACKFILL_TAG] = id;
  if (request.maxConcurrentRuns !== null) Object.assign(tags, { [CONCURRENCY_KEY_TAG]: `backfill:${id}`, [CONCURRENCY_LIMIT_TAG]: String(request.maxConcurrentRuns) });
  const plan = buildPlan(deps.graph, keys);
  const position = new Map(whole.keys.map((key, i) => [key, i]));
  const chunks = splitPartitions(partitionKeys2, request.policy, (a, b) => position.get(b) === position.get(a) + 1);
  const width = String(chunks.length).length;
  const runs = chunks.map((chunk, i) => {
    const partition = chunk.length === 1 ? chunk[0] : formatPartitionRange(chunk[0], chunk.at(-1));
    const partitions = { partition, keys: chunk, definition: whole.definition, tags: partitionTags(partition) };
    const runTags = { ...tags, ...partitions.tags };
    return {
      // Ids sort in partition order, so the queue (oldest first, then id) starts them in order.
      id: `${id}-${String(i + 1).padStart(width, "0")}`,
      selection: request.selection,
      trigger: `backfill:${id}`,
      tags: runTags,
      config,
      configRef: request.configRef ?? null,
      steps: partitionPlan(deps.graph, plan, partitions).steps,
      at: request.now,
      partition: partitions.partition
    };
  });
  return deps.instance.createBackfill(
    {
      id,
      selection: request.selection,
      from: request.from,
      to: request.to,
      policy: request.policy,
      maxConcurrentRuns: request.maxConcurrentRuns,
      partitions: partitionKeys2,
      trigger: request.trigger,
      tags: request.tags ?? {},
      at: request.now
    },
    runs
  );
}
async function targetedKeys(instance, assets, range, request) {
  const rows = await instance.assetPartitions([...assets]);
  const failed = new Set(rows.filter((p) => p.status === "FAILED").map((p) => p.partitionKey));
  const stored = /* @__PURE__ */ new Map();
  for (const row of rows) stored.set(row.partitionKey, (stored.get(row.partitionKey) ?? 0) + 1);
  const kept = range.filter((key) => request.onlyFailed === true && failed.has(key) || request.onlyMissing === true && (stored.get(key) ?? 0) < assets.size);
  if (kept.length === 0) {
    const flags = [request.onlyFailed ? "--only-failed" : "", request.onlyMissing ? "--only-missing" : ""].filter(Boolean).join(" ");
    const what = [request.onlyFailed ? "failed in its latest run" : "", request.onlyMissing ? "is missing" : ""].filter(Boolean).join(" or ");
    throw new SluiceError("NOTHING_TO_BACKFILL", `${flags}: no partition from ${request.from} to ${request.to} of --select "${request.selection}" ${what}; nothing to backfill`, {
      from: request.from,
      to: request.to
    });
  }
  return kept;
}
function splitPartitions(keys, policy, contiguous) {
  const size = policy.kind === "per-partition" ? 1 : policy.kind === "chunks" ? policy.size : Number.POSITIVE_INFINITY;
  const out = [];
  for (const key of keys) {
    const last = out.at(-1);
    if (last && last.length < size && (!contiguous || contiguous(last.at(-1), key))) last.push(key);
    else out.push([key]);
  }
  return out;
}
var BACKFILL_TAG;
var init_launch_backfill = __esm({
  "src/execution/launch-backfill.ts"() {
    "use strict";
    init_errors();
    init_partition_range();
    init_execution_plan();
    init_run_partitions();
    init_validate_run_config();
    init_run_queue_policy();
    init_asset_statuses();
    init_launch_run();
    BACKFILL_TAG = "sluice/backfill";
  }
});

// src/execution/settle-backfills.ts
async function cancelBackfill(instance, id, cancelRun, now) {
  await instance.requestBackfillCancel(id, now());
  const backfill2 = await instance.getBackfill(id);
  if (!backfill2 || backfill2.status !== "CANCELING") return backfill2?.status;
  await cancelActiveRuns(instance, id, cancelRun);
  return instance.finishBackfillIfDone(id, now());
}
async function cancelActiveRuns(instance, id, cancelRun) {
  for (const run2 of await instance.listBackfillRuns(id)) {
    if (!ACTIVE.has(run2.status)) continue;
    try {
      await cancelRun(run2.runId);
    } catch {
    }
  }
}
async function settleBackfills(instance, cancelRun, now) {
  let ended = 0;
  for (const backfill2 of await instance.listBackfills({ statuses: ["RUNNING", "CANCELING"] })) {
    if (backfill2.status === "CANCELING") await cancelActiveRuns(instance, backfill2.id, cancelRun);
    const status = await instance.finishBackfillIfDone(backfill2.id, now());
    if (status !== "RUNNING" && status !== "CANCELING") ended++;
  }
  return ended;
}
var ACTIVE;
var init_settle_backfills = __esm({
  "src/execution/settle-backfills.ts"() {
    "use strict";
    ACTIVE = /* @__PURE__ */ new Set(["QUEUED", "STARTED", "CANCELING"]);
  }
});

// src/cli/commands/backfills.ts
var backfills_exports = {};
__export(backfills_exports, {
  backfillCancel: () => backfillCancel,
  backfillList: () => backfillList,
  backfillShow: () => backfillShow,
  countsLine: () => countsLine,
  printBackfillSummary: () => printBackfillSummary
});
function wantsJson(cmd) {
  return cmd.optsWithGlobals().json === true;
}
async function withService(cmd, fn) {
  const opened = await openRunService(settingsFor(cmd));
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}
function countsLine(counts) {
  return `done ${counts.done}, failed ${counts.failed}, running ${counts.running}, queued ${counts.queued}, canceled ${counts.canceled}`;
}
function printBackfillSummary(summary, out) {
  out.write(`backfill ${summary.backfillId}  ${summary.status}  select=${summary.selection}  ${summary.from}...${summary.to}
`);
  out.write(
    `policy ${summary.policy}${summary.maxConcurrentRuns === null ? "" : `, at most ${summary.maxConcurrentRuns} run(s) at once`}; ${summary.partitionCount} partition(s) in ${summary.runCount} run(s)
`
  );
  out.write(`partitions: ${countsLine(summary.counts)}
`);
  out.write(`${table(["PARTITION", "STATE", "RUN"], summary.partitions.map((p) => [p.key, p.state, p.runId ?? "-"]))}
`);
}
async function backfillList(cmd, opts) {
  const limit = opts.limit === void 0 ? 50 : parsePositiveInt(opts.limit, "--limit");
  const statuses = opts.status?.split(",").map((s) => s.trim().toUpperCase());
  for (const s of statuses ?? []) {
    if (!STATUSES2.includes(s)) throw new SluiceError("INVALID_FLAG", `--status "${s}" is not one of ${STATUSES2.join(", ")}`, { flag: "--status" });
  }
  const rows = await withService(cmd, ({ service }) => service.listBackfills({ limit, ...statuses ? { statuses } : {} }));
  if (wantsJson(cmd)) printJson(rows);
  else if (rows.length === 0) process.stdout.write("no backfills yet\n");
  else {
    const lines = rows.map((b) => [b.backfillId, b.status, b.createdAt, `${b.from}...${b.to}`, String(b.partitionCount), String(b.runCount), countsLine(b.counts), b.selection]);
    process.stdout.write(`${table(["BACKFILL", "STATUS", "CREATED", "RANGE", "PARTITIONS", "RUNS", "PROGRESS", "SELECTION"], lines)}
`);
  }
  return EXIT.ok;
}
async function backfillShow(cmd, id) {
  const summary = await withService(cmd, ({ service }) => service.backfill(id));
  if (wantsJson(cmd)) printJson(summary);
  else printBackfillSummary(summary, process.stdout);
  return EXIT.ok;
}
async function backfillCancel(cmd, id) {
  const settings = settingsFor(cmd);
  const status = await withService(cmd, async (opened) => {
    if (opened.kind === "remote") return opened.service.cancelBackfill(id);
    if (!await opened.instance.getBackfill(id)) throw new UnknownBackfillError(id);
    return cancelBackfill(opened.instance, id, (runId) => cancelLocally(settings, opened.instance, runId), () => /* @__PURE__ */ new Date());
  });
  if (wantsJson(cmd)) printJson({ backfillId: id, status: status ?? null });
  else process.stdout.write(`backfill ${id}: ${status}${status === "CANCELING" ? " (running runs are stopping)" : ""}
`);
  return EXIT.ok;
}
var STATUSES2;
var init_backfills2 = __esm({
  "src/cli/commands/backfills.ts"() {
    "use strict";
    init_errors();
    init_backfill_summary();
    init_settle_backfills();
    init_open_run_service();
    init_cli_context();
    init_format();
    init_runs();
    STATUSES2 = ["RUNNING", "COMPLETED", "FAILED", "CANCELING", "CANCELED"];
  }
});

// src/cli/commands/backfill.ts
var backfill_exports = {};
__export(backfill_exports, {
  backfill: () => backfill
});
function required(opts, name) {
  const value = opts[name];
  if (value === void 0 || value === "") {
    throw new SluiceError("INVALID_FLAG", `sluice backfill needs --${name}; e.g. sluice backfill --select "key:raw/orders" --from 2024-10-01 --to 2024-10-31`, { flag: `--${name}` });
  }
  return value;
}
async function backfill(cmd, opts) {
  const settings = settingsFor(cmd);
  const selection = required(opts, "select");
  const [from, to] = [required(opts, "from"), required(opts, "to")];
  const policyText = opts.policy ?? "per-partition";
  const policy = parseBackfillPolicy(policyText);
  const maxRuns = opts.maxConcurrentRuns === void 0 ? void 0 : parsePositiveInt(opts.maxConcurrentRuns, "--max-concurrent-runs");
  const configName = configNameOption(opts);
  const config = opts.config === void 0 ? void 0 : (await Promise.resolve().then(() => (init_materialize(), materialize_exports))).readConfigFile(opts.config);
  const out = opts.json ? process.stderr : process.stdout;
  const base = { selection, from, to, onlyFailed: opts.onlyFailed === true, onlyMissing: opts.onlyMissing === true, tags: opts.tag ?? {}, allowFailedChecks: opts.allowFailedChecks === true };
  const daemon2 = settings.databaseUrl ? void 0 : readDaemonAddress(settings.projectDir);
  if (daemon2) {
    const service = new RemoteRunService(daemon2);
    const t0 = Date.now();
    const launched = await service.launchBackfill({
      ...base,
      policy: policyText,
      maxConcurrentRuns: maxRuns ?? null,
      ...config === void 0 ? {} : { config },
      ...configNameBody(opts),
      trigger: "cli"
    });
    out.write(`backfill ${launched.backfillId}: ${launched.partitions} partition(s), ${launched.runs} run(s) created in ${Date.now() - t0} ms (executed by the sluice daemon)
`);
    return opts.detach ? detached(opts, launched.backfillId, launched) : follow(service, launched.backfillId, opts, out);
  }
  const runtime = await openRuntime(settings);
  try {
    const distributed = settings.redisUrl !== void 0;
    const t0 = Date.now();
    const request = {
      ...base,
      policy,
      // In this process the limit is how many runs it executes at once; it is recorded, so a
      // daemon that later starts what is left keeps it.
      maxConcurrentRuns: maxRuns ?? (distributed ? null : 1),
      config,
      ...await namedLaunchConfig(runtime.instance, configName),
      trigger: "cli",
      now: /* @__PURE__ */ new Date()
    };
    const record = await launchBackfill({ instance: runtime.instance, graph: runtime.project.graph }, request);
    const launchMs = Date.now() - t0;
    out.write(`backfill ${record.id}: ${record.partitions.length} partition(s), ${record.runCount} run(s) created in ${launchMs} ms (policy ${policyText})
`);
    if (distributed) {
      await wakeDaemon(settings, runtime, record, out);
      return opts.detach ? detached(opts, record.id, { partitions: record.partitions.length, runs: record.runCount, launchMs }) : await follow(new LocalRunService(runtime.instance), record.id, opts, out);
    }
    if (opts.detach) {
      out.write(`warning: no sluice daemon holds this store: the runs stay QUEUED until \`sluice daemon\` starts
`);
      return detached(opts, record.id, { partitions: record.partitions.length, runs: record.runCount, launchMs });
    }
    return await executeHere(settings, runtime, record, request.maxConcurrentRuns ?? 1, opts, out);
  } finally {
    await runtime.close();
  }
}
function detached(opts, backfillId, launched) {
  if (opts.json) printJson({ backfillId, status: "RUNNING", partitions: launched.partitions, runs: launched.runs, launchMs: launched.launchMs });
  return EXIT.ok;
}
async function wakeDaemon(settings, runtime, record, out) {
  const [{ connectRedis: connectRedis2, requireRedisUrl: requireRedisUrl2 }, { announceQueuedRun: announceQueuedRun2 }] = await Promise.all([Promise.resolve().then(() => (init_distributed(), distributed_exports)), Promise.resolve().then(() => (init_run_wakeup(), run_wakeup_exports))]);
  const redis = await connectRedis2(requireRedisUrl2(settings, "sluice backfill (distributed)"));
  try {
    const [first] = await runtime.instance.listBackfillRuns(record.id);
    if (first) await announceQueuedRun2(redis, settings.redisPrefix, first.runId);
  } finally {
    redis.disconnect();
  }
  const daemons = (await runtime.instance.listHeartbeats()).filter((b) => b.kind === "daemon" && Date.now() - b.at.getTime() <= settings.workerTimeoutMs);
  if (daemons.length === 0) out.write("warning: no sluice daemon is running; the runs stay QUEUED until one starts\n");
}
function finished(summary, json, out) {
  if (json) printJson(summary);
  else {
    out.write("\n");
    printBackfillSummary(summary, out);
  }
  const { counts } = summary;
  return counts.done === summary.partitionCount ? EXIT.ok : EXIT.failed;
}
async function follow(service, id, opts, out) {
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const reported = /* @__PURE__ */ new Set();
    for (; ; ) {
      const summary = await service.backfill(id);
      const runs = runStates(summary);
      for (const [runId, run2] of runs) {
        if (reported.has(runId) || !run2.ended) continue;
        reported.add(runId);
        out.write(`${run2.state === "done" ? "\u2713" : "\u2717"} run ${runId} (${run2.keys.length === 1 ? run2.keys[0] : `${run2.keys[0]}...${run2.keys.at(-1)}`}) ${run2.state}  [${countsLine(summary.counts)}]
`);
      }
      if (summary.counts.queued + summary.counts.running === 0) return finished(summary, opts.json, out);
      if (interrupted) {
        out.write(`
stopped following; backfill ${id} goes on (\`sluice backfill show ${id}\`, \`sluice backfill cancel ${id}\`)
`);
        return EXIT.canceled;
      }
      await new Promise((resolve6) => setTimeout(resolve6, FOLLOW_POLL_MS));
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
function runStates(summary) {
  const runs = /* @__PURE__ */ new Map();
  for (const p of summary.partitions) {
    if (!p.runId) continue;
    const run2 = runs.get(p.runId) ?? { keys: [], state: p.state, ended: ["done", "failed", "canceled"].includes(p.state) };
    run2.keys.push(p.key);
    runs.set(p.runId, run2);
  }
  return runs;
}
async function executeHere(settings, runtime, record, maxRuns, opts, out) {
  const { instance } = runtime;
  const pending = (await instance.listBackfillRuns(record.id)).filter((r) => r.status === "QUEUED");
  const total = pending.length;
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(EXIT.canceled);
    out.write("\ninterrupt: canceling the backfill (press Ctrl-C again to exit at once)\n");
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const heartbeat2 = new HeartbeatWriter(instance, "worker", () => ({ inProcessBackfill: record.id, runsAtOnce: maxRuns }));
  await heartbeat2.start();
  let ended = 0;
  let failed = 0;
  try {
    const host = runtime.stepHost();
    const executeNext = async () => {
      for (let next = pending.shift(); next && !abort.signal.aborted; next = pending.shift()) {
        const t0 = Date.now();
        const run2 = await new InProcessExecutor(host, { concurrency: STEP_CONCURRENCY }).execute(next.runId, abort.signal);
        ended++;
        if (run2.status !== "SUCCESS") failed++;
        out.write(`${run2.status === "SUCCESS" ? "\u2713" : "\u2717"} run ${run2.id} (${next.partition ?? "-"}) ${run2.status} in ${duration(Date.now() - t0)}  [${ended}/${total} runs ended, ${failed} not successful]
`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(maxRuns, Math.max(1, total)) }, executeNext));
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await heartbeat2.stop();
  }
  if (abort.signal.aborted) await cancelBackfill(instance, record.id, (runId) => cancelLocally(settings, instance, runId), () => /* @__PURE__ */ new Date());
  else await instance.finishBackfillIfDone(record.id, /* @__PURE__ */ new Date());
  const code = finished(await new LocalRunService(instance).backfill(record.id), opts.json, out);
  return abort.signal.aborted ? EXIT.canceled : code;
}
var STEP_CONCURRENCY, FOLLOW_POLL_MS;
var init_backfill = __esm({
  "src/cli/commands/backfill.ts"() {
    "use strict";
    init_errors();
    init_heartbeat_writer();
    init_in_process_executor();
    init_launch_backfill();
    init_settle_backfills();
    init_embedded_daemon();
    init_run_service();
    init_runtime();
    init_cli_context();
    init_format();
    init_backfills2();
    init_config_name_option();
    init_runs();
    STEP_CONCURRENCY = 4;
    FOLLOW_POLL_MS = 500;
  }
});

// src/execution/lost-attempt.ts
async function missingStartEvent(instance, runId, step, now) {
  const started = await instance.listEvents(runId, { types: ["STEP_STARTED"] });
  if (started.some((event) => event.stepKey === step.key && event.type === "STEP_STARTED" && event.data.attempt === step.attempt)) return [];
  return [
    { type: "STEP_STARTED", runId, stepKey: step.key, at: step.startedAt ?? now, data: { attempt: step.attempt, ...step.worker ? { worker: step.worker } : {} } }
  ];
}
var init_lost_attempt = __esm({
  "src/execution/lost-attempt.ts"() {
    "use strict";
  }
});

// src/execution/bullmq/step-worker.ts
import { DelayedError, Worker } from "bullmq";
var LOST, StepWorker;
var init_step_worker = __esm({
  "src/execution/bullmq/step-worker.ts"() {
    "use strict";
    init_execution_plan();
    init_finish_run();
    init_lost_attempt();
    init_step_runner();
    init_cancel_bus();
    init_step_queue();
    LOST = { name: "WorkerLost", code: "WORKER_LOST", message: "the worker running this attempt stopped renewing its lock (it died or hung); the step was taken over" };
    StepWorker = class {
      constructor(host, options) {
        this.host = host;
        this.options = options;
        this.queue = new StepQueue(options.redis, options.prefix, options.pools);
        this.cancelBus = new CancelBus(options.redis, CancelBus.channelFor(options.prefix));
      }
      host;
      options;
      workers = [];
      queue;
      cancelBus;
      runAborts = /* @__PURE__ */ new Map();
      runCache = /* @__PURE__ */ new Map();
      inFlight = 0;
      get running() {
        return this.inFlight;
      }
      async start() {
        await this.cancelBus.subscribe((runId) => this.abortRun(runId));
        for (const name of this.queue.queueNames()) {
          const worker2 = new Worker(name, (job, token) => this.process(job, token), {
            connection: this.options.redis.duplicate(),
            prefix: this.options.prefix,
            concurrency: this.options.concurrency,
            lockDuration: this.options.lockDurationMs,
            stalledInterval: this.options.stalledIntervalMs ?? Math.max(1e3, Math.floor(this.options.lockDurationMs / 2)),
            maxStalledCount: 10,
            autorun: true
          });
          worker2.on("error", () => {
          });
          this.workers.push(worker2);
        }
        await Promise.all(this.workers.map((w) => w.waitUntilReady()));
      }
      /**
       * Stops taking work, lets running steps finish for up to `graceMs`, then aborts their signals
       * and closes. BullMQ's close() has no timeout of its own, so it is raced against the grace.
       */
      async close(graceMs) {
        await Promise.all(this.workers.map((w) => w.pause(true).catch(() => {
        })));
        const drained = Promise.all(this.workers.map((w) => w.close().catch(() => {
        })));
        const graceOver = new Promise((resolve6) => setTimeout(() => resolve6("timeout"), graceMs).unref());
        if (await Promise.race([drained.then(() => "drained"), graceOver]) === "timeout") {
          for (const runId of [...this.runAborts.keys()]) this.abortRun(runId);
          await Promise.race([Promise.all(this.workers.map((w) => w.close(true).catch(() => {
          }))), new Promise((r) => setTimeout(r, 2e3).unref())]);
        }
        await this.cancelBus.close();
        await this.queue.close();
      }
      abortRun(runId) {
        for (const controller of this.runAborts.get(runId) ?? []) controller.abort();
        this.runCache.delete(runId);
      }
      async run(runId) {
        const cached = this.runCache.get(runId);
        if (cached) return cached;
        const run2 = await this.host.instance.getRun(runId);
        if (run2 && run2.status === "STARTED") {
          if (this.runCache.size >= 256) this.runCache.delete(this.runCache.keys().next().value);
          this.runCache.set(runId, run2);
        }
        return run2;
      }
      async process(job, token) {
        const { runId, stepKey } = job.data;
        let attempt = job.data.attempt;
        const run2 = await this.run(runId);
        if (!run2) return "unknown run";
        if (run2.status !== "STARTED") {
          if (run2.status === "CANCELING") await finishRunIfDone(this.host.instance, runId, this.host.now());
          return `run is ${run2.status}`;
        }
        const step = parseStepKey(stepKey);
        const controller = new AbortController();
        const aborts = this.runAborts.get(runId) ?? /* @__PURE__ */ new Set();
        aborts.add(controller);
        this.runAborts.set(runId, aborts);
        this.inFlight++;
        try {
          let result = await runStepAttempt(this.host, run2, step, attempt, controller.signal);
          if (result.status === "NOT_STARTED" && result.start.reason === "not-pending") {
            const current = (await this.host.instance.listSteps(runId)).find((s) => s.key === stepKey);
            if (current?.status === "RUNNING" && current.attempt === attempt) {
              const now = this.host.now();
              const lost = await this.host.instance.retryStep(runId, stepKey, {
                status: "FAILED",
                attempt,
                at: now,
                durationMs: now.getTime() - (current.startedAt?.getTime() ?? now.getTime()),
                error: LOST,
                retryDelayMs: 0,
                events: await missingStartEvent(this.host.instance, runId, current, now)
              });
              if (lost) {
                attempt += 1;
                result = await runStepAttempt(this.host, run2, step, attempt, controller.signal);
              }
            }
          }
          return await this.after(job, token, run2, stepKey, attempt, result);
        } finally {
          this.inFlight--;
          aborts.delete(controller);
          if (aborts.size === 0) this.runAborts.delete(runId);
        }
      }
      async after(job, token, run2, stepKey, attempt, result) {
        const graph = this.host.graph;
        const poolOf = (key) => {
          const { assetKey, kind } = parseStepKey(key);
          return kind === "asset" && graph.has(assetKey) ? graph.get(assetKey).pool : void 0;
        };
        switch (result.status) {
          case "NOT_STARTED":
            if (result.start.reason === "asset-busy") {
              await job.moveToDelayed(Date.now() + (this.options.assetBusyDelayMs ?? 250), token);
              throw new DelayedError();
            }
            return "not pending";
          case "RETRY":
            await this.queue.enqueue([{ runId: run2.id, stepKey, attempt: attempt + 1, pool: poolOf(stepKey), delayMs: result.retryDelayMs }]);
            return "retry";
          default:
            if (result.ready.length > 0) {
              await this.queue.enqueue(result.ready.map((key) => ({ runId: run2.id, stepKey: key, attempt: 1, pool: poolOf(key) })));
            } else if (result.remaining === 0) {
              await finishRunIfDone(this.host.instance, run2.id, this.host.now()).catch(() => {
              });
            }
            return result.status;
        }
      }
    };
  }
});

// src/cli/until-signal.ts
function untilSignal() {
  return new Promise((resolve6) => {
    const on = (signal) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve6(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}
var init_until_signal = __esm({
  "src/cli/until-signal.ts"() {
    "use strict";
  }
});

// src/cli/commands/worker.ts
var worker_exports = {};
__export(worker_exports, {
  worker: () => worker
});
async function worker(cmd, opts) {
  const settings = settingsFor(cmd);
  const url = requireRedisUrl(settings, "sluice worker");
  const concurrency = parsePositiveInt(opts.concurrency, "--concurrency");
  const graceMs = parsePositiveInt(opts.graceMs, "--grace-ms");
  const runtime = await openRuntime(settings);
  const redis = await connectRedis(url);
  const stepWorker = new StepWorker(runtime.stepHost({ logDestination: process.stderr }), {
    redis,
    prefix: settings.redisPrefix,
    pools: settings.pools,
    concurrency,
    lockDurationMs: settings.lockDurationMs
  });
  const heartbeat2 = new HeartbeatWriter(runtime.instance, "worker", () => ({ concurrency, running: stepWorker.running, pools: settings.pools }));
  try {
    await stepWorker.start();
    await heartbeat2.start();
    process.stderr.write(`sluice worker ${runtime.worker} ready: concurrency ${concurrency}, ${runtime.project.graph.size} assets
`);
    const signal = await untilSignal();
    process.stderr.write(`sluice worker: ${signal}, finishing running steps (grace ${graceMs} ms)
`);
  } finally {
    await stepWorker.close(graceMs);
    await heartbeat2.stop();
    await runtime.close();
    redis.disconnect();
  }
  return EXIT.ok;
}
var init_worker = __esm({
  "src/cli/commands/worker.ts"() {
    "use strict";
    init_heartbeat_writer();
    init_step_worker();
    init_distributed();
    init_runtime();
    init_cli_context();
    init_until_signal();
  }
});

// src/cli/commands/configs.ts
var configs_exports = {};
__export(configs_exports, {
  configsList: () => configsList,
  configsSet: () => configsSet,
  configsShow: () => configsShow
});
import { readFileSync as readFileSync4 } from "node:fs";
import { resolve as resolve5 } from "node:path";
async function withService2(cmd, fn) {
  const opened = await openRunService(settingsFor(cmd));
  try {
    return await fn(opened.service);
  } finally {
    await opened.close();
  }
}
function readJsonFile(path) {
  const file = resolve5(path);
  let text;
  try {
    text = readFileSync4(file, "utf8");
  } catch (error) {
    throw new SluiceError("CONFIG_FILE", `cannot read config file ${file}: ${error.message}`, { file });
  }
  try {
    return { file, body: JSON.parse(text) };
  } catch (error) {
    throw new SluiceError("CONFIG_FILE", `config file ${file} is not valid JSON: ${error.message}`, { file });
  }
}
async function configsSet(cmd, name, path, opts) {
  const ref = parseConfigRef(name, "config name");
  if (ref.version !== void 0) throw new SluiceError("INVALID_CONFIG_NAME", `config name "${name}" may not carry a version: versions are numbered on store`, { name });
  const { file, body } = readJsonFile(path);
  const { graph } = await loadProject(settingsFor(cmd).projectDir);
  const valid = validateNamedConfig(graph, name, body, `run config "${name}" (${file})`);
  const stored = await withService2(cmd, (service) => service.putRunConfig(name, valid));
  if (opts.json) printJson({ name: stored.name, version: stored.version, createdAt: stored.createdAt });
  else process.stdout.write(`config ${stored.name} version ${stored.version}
`);
  return EXIT.ok;
}
async function configsShow(cmd, name, opts) {
  let ref = parseConfigRef(name, "config name");
  if (opts.version !== void 0) {
    if (ref.version !== void 0) {
      throw new SluiceError("INVALID_FLAG", `configs show: give the version once, as ${ref.name}@${ref.version} or --version ${opts.version}, not both`, { flag: "--version" });
    }
    ref = { ...ref, version: parsePositiveInt(opts.version, "--version") };
  }
  const config = await withService2(cmd, (service) => service.getRunConfig(ref.name, ref.version));
  if (opts.json) printJson(config);
  else process.stdout.write(`config ${config.name} version ${config.version} (created ${config.createdAt})
${JSON.stringify(config.body, null, 2)}
`);
  return EXIT.ok;
}
async function configsList(cmd, opts) {
  const configs = await withService2(cmd, (service) => service.listRunConfigs());
  if (opts.json) printJson(configs);
  else if (configs.length === 0) process.stdout.write("no run configs yet; store one with `sluice configs set NAME FILE.json`\n");
  else process.stdout.write(`${table(["NAME", "LATEST", "UPDATED"], configs.map((c) => [c.name, String(c.latestVersion), c.updatedAt]))}
`);
  return EXIT.ok;
}
var init_configs = __esm({
  "src/cli/commands/configs.ts"() {
    "use strict";
    init_errors();
    init_named_config();
    init_load_project();
    init_open_run_service();
    init_cli_context();
    init_format();
  }
});

// src/scheduler/unknown-schedule-error.ts
var UnknownScheduleError;
var init_unknown_schedule_error = __esm({
  "src/scheduler/unknown-schedule-error.ts"() {
    "use strict";
    init_errors();
    init_suggest();
    UnknownScheduleError = class extends SluiceError {
      constructor(name, known) {
        const suggestions = suggest(name, known);
        const hint = known.length === 0 ? "; the project defines no schedules (add one under schedules/)" : "; run `sluice schedules list` to see them";
        super("UNKNOWN_SCHEDULE", `unknown schedule "${name}"${didYouMean(suggestions)}${hint}`, { name, suggestions });
      }
    };
  }
});

// src/cli/commands/schedules.ts
var schedules_exports = {};
__export(schedules_exports, {
  schedulesList: () => schedulesList,
  schedulesPreview: () => schedulesPreview,
  schedulesSetStatus: () => schedulesSetStatus,
  schedulesTicks: () => schedulesTicks2
});
function find(schedules, name) {
  const found = schedules.find((s) => s.definition.name === name);
  if (!found) throw new UnknownScheduleError(name, schedules.map((s) => s.definition.name));
  return found;
}
function zoned(schedule, iso2) {
  return iso2 ? formatInZone(schedule.definition.timezone, Date.parse(iso2)) : null;
}
async function schedulesList(cmd, opts) {
  const settings = settingsFor(cmd);
  const { schedules } = await loadProject(settings.projectDir);
  const opened = await openRunService(settings);
  try {
    const states = new Map((await opened.service.scheduleStates()).map((s) => [s.name, s]));
    const now = /* @__PURE__ */ new Date();
    const rows = await Promise.all(
      schedules.map(async (s) => {
        const state = states.get(s.definition.name);
        const [last] = state ? await opened.service.ticks(s.definition.name, 1) : [];
        const next = s.ticks.nextAfter(now);
        return {
          name: s.definition.name,
          cron: s.definition.cron,
          timezone: s.definition.timezone,
          status: state?.status ?? s.definition.defaultStatus,
          /** `stored` once started, stopped or seen by a daemon; `default` = the definition's defaultStatus. */
          statusSource: state ? "stored" : "default",
          nextTick: next ? formatInZone(s.definition.timezone, next.getTime()) : null,
          lastTick: last ? { scheduledFor: zoned(s, last.scheduledFor), status: last.status, runId: last.runId, reason: last.reason } : null,
          select: s.definition.select,
          source: s.source
        };
      })
    );
    if (opts.json) printJson(rows);
    else if (rows.length === 0) process.stdout.write("no schedules: define one under schedules/ with defineSchedule\n");
    else {
      const cells = rows.map((r) => [
        r.name,
        r.cron,
        r.timezone,
        r.statusSource === "default" ? `${r.status} (default)` : r.status,
        r.status === "RUNNING" ? r.nextTick ?? "-" : "-",
        r.lastTick ? `${r.lastTick.scheduledFor} ${r.lastTick.status}` : "-",
        r.lastTick?.runId ?? "-"
      ]);
      process.stdout.write(`${table(["NAME", "CRON", "TIMEZONE", "STATUS", "NEXT TICK", "LAST TICK", "RUN"], cells)}
`);
    }
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}
async function schedulesPreview(cmd, name, opts) {
  const settings = settingsFor(cmd);
  const count = parsePositiveInt(opts.count, "--count");
  const from = opts.from === void 0 ? /* @__PURE__ */ new Date() : new Date(opts.from);
  if (Number.isNaN(from.getTime())) {
    throw new SluiceError("INVALID_FLAG", `--from must be an ISO-8601 date or instant, e.g. 2026-03-29T00:00:00Z (got "${opts.from}")`, { flag: "--from", value: opts.from });
  }
  const { schedules } = await loadProject(settings.projectDir);
  const schedule = find(schedules, name);
  const ticks = schedule.ticks.next(count, from).map((t) => formatInZone(schedule.definition.timezone, t.getTime()));
  if (opts.json) printJson(ticks);
  else process.stdout.write(ticks.length ? `${ticks.join("\n")}
` : `schedule "${name}" has no tick after ${from.toISOString()}
`);
  return EXIT.ok;
}
async function schedulesSetStatus(cmd, name, status, opts) {
  const settings = settingsFor(cmd);
  const { schedules } = await loadProject(settings.projectDir);
  const schedule = find(schedules, name);
  const opened = await openRunService(settings);
  try {
    const state = await opened.service.setScheduleStatus(name, status);
    if (opts.json) printJson(state);
    else if (state.status === "RUNNING") {
      const next = schedule.ticks.nextAfter(/* @__PURE__ */ new Date());
      process.stdout.write(
        `schedule ${name}: RUNNING since ${zoned(schedule, state.startedAt)}; next tick ${next ? formatInZone(schedule.definition.timezone, next.getTime()) : "none"} (a sluice daemon launches it)
`
      );
    } else process.stdout.write(`schedule ${name}: STOPPED
`);
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}
async function schedulesTicks2(cmd, name, opts) {
  const settings = settingsFor(cmd);
  const limit = parsePositiveInt(opts.limit, "--limit");
  const { schedules } = await loadProject(settings.projectDir);
  const schedule = find(schedules, name);
  const opened = await openRunService(settings);
  try {
    const ticks = await opened.service.ticks(name, limit);
    if (opts.json) printJson(ticks.map((t) => ({ ...t, scheduledForLocal: zoned(schedule, t.scheduledFor) })));
    else if (ticks.length === 0) process.stdout.write(`schedule ${name} has no ticks yet
`);
    else {
      const rows = ticks.map((t) => [zoned(schedule, t.scheduledFor), t.status, t.runId ?? "-", t.reason ?? (t.error ? `${t.error.name}: ${t.error.message}` : "")]);
      process.stdout.write(`${table(["SCHEDULED FOR", "STATUS", "RUN", "DETAIL"], rows)}
`);
    }
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}
var init_schedules = __esm({
  "src/cli/commands/schedules.ts"() {
    "use strict";
    init_errors();
    init_load_project();
    init_open_run_service();
    init_unknown_schedule_error();
    init_zone_clock();
    init_cli_context();
    init_format();
  }
});

// src/daemon/daemon-loop.ts
var DaemonLoop;
var init_daemon_loop = __esm({
  "src/daemon/daemon-loop.ts"() {
    "use strict";
    init_events();
    DaemonLoop = class {
      constructor(name, intervalMs, tick, maxErrors = 10) {
        this.name = name;
        this.intervalMs = intervalMs;
        this.tick = tick;
        this.maxErrors = maxErrors;
      }
      name;
      intervalMs;
      tick;
      maxErrors;
      timer;
      running;
      stopped = true;
      wakeAgain = false;
      failures = 0;
      errors = [];
      start() {
        this.stopped = false;
        this.schedule(0);
      }
      /** Runs a tick as soon as the current one (if any) ends. */
      wake() {
        if (this.stopped) return;
        if (this.running) this.wakeAgain = true;
        else this.schedule(0);
      }
      async stop() {
        this.stopped = true;
        if (this.timer) clearTimeout(this.timer);
        await this.running;
      }
      schedule(delayMs) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.runOnce(), delayMs);
      }
      async runOnce() {
        if (this.stopped || this.running) return;
        this.timer = void 0;
        let delay = this.intervalMs;
        this.running = this.tick().then(
          () => {
            this.failures = 0;
          },
          (error) => {
            this.failures++;
            this.errors.push({ loop: this.name, at: (/* @__PURE__ */ new Date()).toISOString(), error: toErrorInfo(error) });
            if (this.errors.length > this.maxErrors) this.errors.shift();
            delay = Math.min(1e4, this.intervalMs * 2 ** Math.min(this.failures, 5));
          }
        );
        await this.running;
        this.running = void 0;
        if (this.stopped) return;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          delay = 0;
        }
        this.schedule(delay);
      }
    };
  }
});

// src/daemon/run-monitor.ts
function isAlive(worker2, beats, now, timeoutMs) {
  if (!worker2) return false;
  const beat = beats.get(worker2);
  return beat !== void 0 && now.getTime() - beat.at.getTime() <= timeoutMs;
}
async function runMonitorTick(deps) {
  const { instance, launcher } = deps;
  const runs = await instance.listRuns({ statuses: ["STARTED", "CANCELING"] });
  const heartbeats = await instance.listHeartbeats();
  const beats = new Map(heartbeats.map((b) => [b.host && b.pid ? `${b.host}:${b.pid}` : b.id, b]));
  const nowMs = deps.now().getTime();
  const staleWorker = heartbeats.some((b) => b.kind === "worker" && nowMs - b.at.getTime() > deps.workerTimeoutMs);
  const seen = /* @__PURE__ */ new Set();
  const localRuns = new Set(launcher.active());
  let requeued = 0;
  let recovered = 0;
  let finished2 = 0;
  for (const run2 of runs) {
    const now = deps.now();
    if (run2.status === "CANCELING" || localRuns.has(run2.id)) {
      if (!localRuns.has(run2.id) && await finishRunIfDone(instance, run2.id, now)) finished2++;
      continue;
    }
    const lease = await instance.getLease(runLeaseName(run2.id));
    if (lease && lease.expiresAt.getTime() > now.getTime()) continue;
    if (deps.progress) {
      seen.add(run2.id);
      const unfinished = await instance.unfinishedStepCount(run2.id);
      const before = deps.progress.get(run2.id);
      deps.progress.set(run2.id, unfinished);
      if (unfinished > 0 && before !== void 0 && unfinished < before && !staleWorker) continue;
    }
    const steps = await instance.listSteps(run2.id);
    for (const step of steps) {
      if (step.status !== "RUNNING" || isAlive(step.worker, beats, now, deps.workerTimeoutMs)) continue;
      if (launcher.kind === "bullmq") {
        const bull = launcher;
        const pool = bull.poolOf(step.key);
        if (!await bull.queue.has(run2.id, step.key, step.attempt, pool)) {
          await bull.queue.enqueue([{ runId: run2.id, stepKey: step.key, attempt: step.attempt, pool }]);
          recovered++;
        }
      } else if (await instance.retryStep(run2.id, step.key, {
        status: "FAILED",
        attempt: step.attempt,
        at: now,
        durationMs: 0,
        error: LOST2,
        retryDelayMs: 0,
        events: await missingStartEvent(instance, run2.id, step, now)
      })) {
        recovered++;
      }
    }
    if (launcher.kind === "bullmq") requeued += (await launcher.enqueueReady(run2.id)).length;
    else if (steps.some((s) => s.status === "PENDING" || s.status === "RUNNING")) {
      await launcher.start(run2.id);
      requeued++;
    }
    if (await finishRunIfDone(instance, run2.id, deps.now())) finished2++;
  }
  if (deps.progress) {
    for (const runId of [...deps.progress.keys()]) if (!seen.has(runId)) deps.progress.delete(runId);
  }
  return { checked: runs.length, requeued, recovered, finished: finished2 };
}
var LOST2;
var init_run_monitor = __esm({
  "src/daemon/run-monitor.ts"() {
    "use strict";
    init_finish_run();
    init_run_lease();
    init_lost_attempt();
    LOST2 = { name: "WorkerLost", code: "WORKER_LOST", message: "the process running this attempt stopped (no heartbeat); the step is run again" };
  }
});

// src/daemon/run-queue.ts
async function runQueueTick(deps) {
  const { instance } = deps;
  if (!await instance.acquireLease(RUN_QUEUE_LEASE, deps.daemonId, deps.leaseTtlMs, deps.now())) {
    return { started: [], held: 0, leader: false };
  }
  const queued = await instance.listRuns({ statuses: ["QUEUED"], limit: 1e3 });
  if (queued.length === 0) return { started: [], held: 0, leader: true };
  const active = await instance.listRuns({ statuses: ["STARTED", "CANCELING"] });
  const { start, held } = pickRunsToStart(queued, active, deps.limits);
  const started = [];
  for (const runId of start) {
    if (!await instance.setRunStatus(runId, "STARTED", deps.now())) continue;
    started.push(runId);
    await deps.launcher.start(runId);
  }
  const previous = new Map(queued.map((r) => [r.id, r.queueReason]));
  for (const [runId, reason] of held) if (previous.get(runId) !== reason) await instance.setQueueReason(runId, reason);
  return { started, held: held.size, leader: true };
}
var RUN_QUEUE_LEASE;
var init_run_queue = __esm({
  "src/daemon/run-queue.ts"() {
    "use strict";
    init_run_queue_policy();
    RUN_QUEUE_LEASE = "run-queue";
  }
});

// src/scheduler/due-ticks.ts
function dueTicks(ticks, catchup, state, now) {
  const floor = state.startedAt.getTime() - 1;
  const after = new Date(state.cursor ? Math.max(state.cursor.getTime(), floor) : floor);
  const count = catchup.policy === "all" ? catchup.max : 1;
  const latest = ticks.latest(count, after, now);
  const cursor = latest[latest.length - 1];
  if (catchup.policy === "none") {
    const onTime = cursor && now.getTime() - cursor.getTime() < ON_TIME_GRACE_MS;
    return { launch: onTime ? [cursor] : [], cursor };
  }
  return { launch: latest, cursor };
}
var ON_TIME_GRACE_MS;
var init_due_ticks = __esm({
  "src/scheduler/due-ticks.ts"() {
    "use strict";
    ON_TIME_GRACE_MS = 6e4;
  }
});

// src/scheduler/schedule-run-id.ts
import { createHash as createHash2 } from "node:crypto";
function scheduleRunId(schedule, scheduledFor) {
  const hash = createHash2("sha1").update(`sluice-schedule\0${schedule}\0${scheduledFor.toISOString()}`).digest();
  hash[6] = hash[6] & 15 | 80;
  hash[8] = hash[8] & 63 | 128;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
var init_schedule_run_id = __esm({
  "src/scheduler/schedule-run-id.ts"() {
    "use strict";
  }
});

// src/scheduler/schedule-tags.ts
var SCHEDULE_TAG, SCHEDULED_FOR_TAG;
var init_schedule_tags = __esm({
  "src/scheduler/schedule-tags.ts"() {
    "use strict";
    SCHEDULE_TAG = "sluice/schedule";
    SCHEDULED_FOR_TAG = "sluice/scheduled_for";
  }
});

// src/scheduler/scheduler-pass.ts
async function runSchedulerPass(deps, now, options = {}) {
  const decisions = [];
  const errors = [];
  const states = new Map((await deps.instance.listScheduleStates()).map((s) => [s.name, s]));
  for (const target of deps.schedules) {
    const name = target.definition.name;
    try {
      const state = states.get(name) ?? await deps.instance.ensureScheduleState(name, target.definition.defaultStatus, now);
      if (state.status !== "RUNNING" || state.startedAt === null) continue;
      if (options.recoverStale) {
        for (const tick of await deps.instance.listTicks(name, { statuses: ["STARTED"], limit: 10 })) {
          if (now.getTime() - tick.claimedAt.getTime() < STALE_TICK_MS) continue;
          decisions.push(await decideTick(deps, target, tick, { recovering: true }));
        }
      }
      const { launch, cursor } = dueTicks(target.ticks, target.definition.catchup, { startedAt: state.startedAt, cursor: state.cursor }, now);
      for (const scheduledFor of launch) {
        const tick = await deps.instance.claimTick({ schedule: name, scheduledFor, claimedBy: deps.claimedBy, at: deps.clock() });
        if (tick) decisions.push(await decideTick(deps, target, tick, { recovering: false }));
      }
      if (cursor) await deps.instance.advanceScheduleCursor(name, cursor, deps.clock());
    } catch (error) {
      errors.push({ schedule: name, error });
    }
  }
  return { decisions, errors };
}
async function decideTick(deps, target, tick, how) {
  const { definition } = target;
  const base = { schedule: definition.name, scheduledFor: tick.scheduledFor };
  const runId = scheduleRunId(definition.name, tick.scheduledFor);
  const succeeded = async () => {
    await deps.instance.finishTick(tick.id, { status: "SUCCESS", runId }, deps.clock());
    return { ...base, status: "SUCCESS", runId };
  };
  try {
    if (how.recovering && await deps.instance.getRun(runId)) return await succeeded();
    if (definition.overlap === "skip") {
      const reason = await previousRunUnfinished(deps.instance, definition.name, tick);
      if (reason) {
        await deps.instance.finishTick(tick.id, { status: "SKIPPED", reason }, deps.clock());
        return { ...base, status: "SKIPPED", reason };
      }
    }
    await launchRun(
      { instance: deps.instance, graph: deps.graph },
      {
        selection: definition.select,
        selectionSource: `select of schedule "${definition.name}"`,
        ...definition.config ? { config: definition.config } : {},
        tags: {
          ...definition.tags,
          [SCHEDULE_TAG]: definition.name,
          [SCHEDULED_FOR_TAG]: tick.scheduledFor.toISOString(),
          ...definition.overlap === "queue" ? { [SERIAL_TAG]: `schedule:${definition.name}` } : {}
        },
        trigger: `schedule:${definition.name}`,
        ...definition.partition ? { partition: definition.partition({ scheduledFor: tick.scheduledFor, timezone: definition.timezone }), partitionSource: `partition of schedule "${definition.name}"` } : {},
        now: deps.clock(),
        runId
      }
    );
    deps.onLaunched?.(runId);
    return await succeeded();
  } catch (error) {
    if (await deps.instance.getRun(runId).catch(() => void 0)) return await succeeded();
    const info = toErrorInfo(error);
    await deps.instance.finishTick(tick.id, { status: "FAILURE", error: info }, deps.clock());
    return { ...base, status: "FAILURE", error: info };
  }
}
async function previousRunUnfinished(instance, schedule, tick) {
  const [previous] = await instance.listTicks(schedule, { statuses: ["SUCCESS"], limit: 1 });
  if (!previous?.runId || previous.scheduledFor.getTime() >= tick.scheduledFor.getTime()) return void 0;
  const run2 = await instance.getRun(previous.runId);
  if (!run2 || isTerminalRunStatus(run2.status)) return void 0;
  return `run ${run2.id} of the tick at ${previous.scheduledFor.toISOString()} is still ${run2.status} (overlap: skip)`;
}
var STALE_TICK_MS;
var init_scheduler_pass = __esm({
  "src/scheduler/scheduler-pass.ts"() {
    "use strict";
    init_events();
    init_run_queue_policy();
    init_run_status();
    init_launch_run();
    init_due_ticks();
    init_schedule_run_id();
    init_schedule_tags();
    STALE_TICK_MS = 6e4;
  }
});

// src/daemon/scheduler-loop.ts
var SchedulerLoop;
var init_scheduler_loop = __esm({
  "src/daemon/scheduler-loop.ts"() {
    "use strict";
    init_events();
    init_scheduler_pass();
    SchedulerLoop = class {
      constructor(options) {
        this.options = options;
      }
      options;
      errors = [];
      timer;
      running;
      stopped = true;
      failures = 0;
      lastRecovery = Number.NEGATIVE_INFINITY;
      start() {
        this.stopped = false;
        this.arm(0);
      }
      async stop() {
        this.stopped = true;
        if (this.timer) clearTimeout(this.timer);
        this.timer = void 0;
        await this.running;
      }
      /** When the next tick of any loaded schedule is due after `after` (stopped ones too: their state is re-read then). */
      nextWake(after) {
        let next;
        for (const target of this.options.schedules) {
          const tick = target.ticks.nextAfter(after);
          if (tick && (!next || tick.getTime() < next.getTime())) next = tick;
        }
        return next;
      }
      arm(delayMs) {
        if (this.stopped) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.pass(), Math.max(0, Math.min(delayMs, 2147483647)));
      }
      record(error) {
        this.errors.push({ loop: "scheduler", at: this.options.now().toISOString(), error: toErrorInfo(error) });
        if (this.errors.length > (this.options.maxErrors ?? 10)) this.errors.shift();
      }
      async pass() {
        if (this.stopped || this.running) return;
        this.timer = void 0;
        const now = this.options.now();
        let failed = false;
        this.running = (async () => {
          const recoverStale = now.getTime() - this.lastRecovery >= (this.options.recoverEveryMs ?? 3e4);
          const result = await runSchedulerPass(
            {
              instance: this.options.instance,
              graph: this.options.graph,
              schedules: this.options.schedules,
              claimedBy: this.options.claimedBy,
              clock: this.options.now,
              ...this.options.onLaunched ? { onLaunched: this.options.onLaunched } : {}
            },
            now,
            { recoverStale }
          );
          if (recoverStale) this.lastRecovery = now.getTime();
          for (const decision of result.decisions) this.options.onDecision?.(decision);
          for (const { error } of result.errors) this.record(error);
          failed = result.errors.length > 0;
        })().catch((error) => {
          this.record(error);
          failed = true;
        });
        await this.running;
        this.running = void 0;
        if (this.stopped) return;
        if (failed) {
          this.failures++;
          this.arm(Math.min(1e4, 1e3 * 2 ** Math.min(this.failures - 1, 4)));
          return;
        }
        this.failures = 0;
        const clock = this.options.now();
        const next = this.nextWake(now);
        const maxSleep = this.options.maxSleepMs ?? 6e4;
        this.arm(next ? Math.min(maxSleep, next.getTime() - clock.getTime()) : maxSleep);
      }
    };
  }
});

// src/daemon/daemon.ts
var Daemon;
var init_daemon = __esm({
  "src/daemon/daemon.ts"() {
    "use strict";
    init_heartbeat_writer();
    init_daemon_loop();
    init_settle_backfills();
    init_run_monitor();
    init_run_queue();
    init_scheduler_loop();
    Daemon = class {
      constructor(instance, launcher, options, now = () => /* @__PURE__ */ new Date()) {
        this.instance = instance;
        this.launcher = launcher;
        this.options = options;
        this.now = now;
        this.heartbeat = new HeartbeatWriter(instance, "daemon", () => ({
          executor: launcher.kind,
          activeRuns: launcher.active().length,
          errors: this.errors().slice(-5)
        }));
        const queueIntervalMs = options.queueIntervalMs ?? 1e3;
        this.queueLoop = new DaemonLoop("run-queue", queueIntervalMs, async () => {
          await runQueueTick({
            instance,
            launcher,
            limits: options.limits,
            daemonId: this.heartbeat.id,
            leaseTtlMs: Math.max(5e3, queueIntervalMs * 5),
            now: this.now
          });
        });
        this.monitorLoop = new DaemonLoop("run-monitor", options.monitorIntervalMs ?? 3e3, async () => {
          await runMonitorTick({ instance, launcher, workerTimeoutMs: options.workerTimeoutMs ?? 15e3, now: this.now, progress: this.progress });
          await settleBackfills(instance, (runId) => launcher.cancel(runId), this.now);
        });
        const scheduler = options.scheduler;
        if (scheduler && scheduler.schedules.length > 0) {
          this.schedulerLoop = new SchedulerLoop({
            instance,
            graph: scheduler.graph,
            schedules: scheduler.schedules,
            claimedBy: this.heartbeat.id,
            now: this.now,
            onLaunched: (runId) => {
              this.queueLoop.wake();
              scheduler.onLaunched?.(runId);
            },
            ...scheduler.onDecision ? { onDecision: scheduler.onDecision } : {}
          });
        }
      }
      instance;
      launcher;
      options;
      now;
      heartbeat;
      queueLoop;
      monitorLoop;
      schedulerLoop;
      /** Unfinished step counts per active run at the monitor's previous tick. */
      progress = /* @__PURE__ */ new Map();
      async start() {
        await this.heartbeat.start();
        this.queueLoop.start();
        this.monitorLoop.start();
        this.schedulerLoop?.start();
      }
      /** A run was submitted: look at the queue now rather than at the next interval. */
      wake() {
        this.queueLoop.wake();
      }
      errors() {
        return [...this.queueLoop.errors, ...this.monitorLoop.errors, ...this.schedulerLoop?.errors ?? []].sort((a, b) => a.at.localeCompare(b.at));
      }
      async stop() {
        await Promise.all([this.queueLoop.stop(), this.monitorLoop.stop(), this.schedulerLoop?.stop()]);
        await this.launcher.close();
        await this.instance.releaseLease("run-queue", this.heartbeat.id).catch(() => {
        });
        await this.heartbeat.stop();
      }
    };
  }
});

// src/execution/in-process/in-process-launcher.ts
var InProcessLauncher;
var init_in_process_launcher = __esm({
  "src/execution/in-process/in-process-launcher.ts"() {
    "use strict";
    init_finish_run();
    init_in_process_executor();
    InProcessLauncher = class {
      constructor(host, options = {}, onError = () => {
      }) {
        this.host = host;
        this.options = options;
        this.onError = onError;
      }
      host;
      options;
      onError;
      kind = "in-process";
      running = /* @__PURE__ */ new Map();
      async start(runId) {
        if (this.running.has(runId)) return;
        const abort = new AbortController();
        const done = new InProcessExecutor(this.host, this.options).execute(runId, abort.signal).catch((error) => this.onError(runId, error)).finally(() => this.running.delete(runId));
        this.running.set(runId, { abort, done });
      }
      async cancel(runId) {
        const entry = this.running.get(runId);
        if (entry) {
          entry.abort.abort();
          await entry.done;
          return;
        }
        const at = this.host.now();
        const run2 = await this.host.instance.getRun(runId);
        if (run2?.status === "QUEUED") await this.host.instance.setRunStatus(runId, "CANCELED", at);
        else if (run2?.status === "STARTED" || run2?.status === "CANCELING") {
          await finishRunIfDone(this.host.instance, runId, at, { cancelRequested: true });
        }
      }
      active() {
        return [...this.running.keys()];
      }
      /** Cancels every run still executing here and waits for them to end. */
      async close() {
        for (const { abort } of this.running.values()) abort.abort();
        await Promise.all([...this.running.values()].map((r) => r.done));
      }
    };
  }
});

// src/web/asset-status.ts
async function computeAssetStates(instance, graph, now = /* @__PURE__ */ new Date()) {
  const checkCount = graph.allChecks().length;
  const [statuses, latest, active, checkResults2] = await Promise.all([
    loadAssetStatuses(instance, graph, now),
    instance.latestMaterializations(),
    // Started runs only: a backfill can queue thousands of runs, and a queued run runs nothing yet.
    instance.listRuns({ statuses: ["STARTED", "CANCELING"], limit: 1e3 }),
    checkCount === 0 ? Promise.resolve([]) : instance.latestCheckResults(graph.keys())
  ]);
  const running = /* @__PURE__ */ new Map();
  for (const steps of await Promise.all(active.map((run2) => instance.listSteps(run2.id)))) {
    for (const step of steps) if (step.kind === "asset" && (step.status === "PENDING" || step.status === "RUNNING")) running.set(step.assetKey, step.runId);
  }
  const latestCheck = new Map(checkResults2.map((r) => [`${r.assetKey}#${r.checkName}`, r]));
  const out = /* @__PURE__ */ new Map();
  for (const key of graph.order) {
    const mat = latest.get(key);
    const checks = graph.checksOf(key).map((def) => {
      const r = latestCheck.get(`${key}#${def.name}`);
      return { name: def.name, severity: def.severity, blocking: def.blocking, passed: r ? r.passed : null, at: r ? r.at.toISOString() : null, runId: r?.runId ?? null };
    });
    const core = statuses.get(key);
    const gatingFailed = checks.find((c) => c.passed === false && isGating(c));
    const runId = running.get(key);
    const [status, reason] = runId ? ["running", null] : core?.status !== "failed" && gatingFailed ? ["failed", `check ${gatingFailed.name} failed`] : [core?.status ?? "missing", core?.reason ?? null];
    out.set(key, {
      key,
      status,
      lastMaterializedAt: mat ? mat.at.toISOString() : null,
      lastRunId: runId ?? (status === "failed" && gatingFailed && core?.status !== "failed" ? gatingFailed.runId : null) ?? mat?.runId ?? null,
      reason,
      checks
    });
  }
  return out;
}
var AssetStateCache;
var init_asset_status2 = __esm({
  "src/web/asset-status.ts"() {
    "use strict";
    init_check_definition();
    init_asset_statuses();
    AssetStateCache = class {
      constructor(instance, graph, ttlMs = 1e3) {
        this.instance = instance;
        this.graph = graph;
        this.ttlMs = ttlMs;
      }
      instance;
      graph;
      ttlMs;
      last;
      get() {
        const now = Date.now();
        if (this.last && now - this.last.at < this.ttlMs) return this.last.value;
        const value = computeAssetStates(this.instance, this.graph);
        this.last = { at: now, value };
        value.catch(() => {
          if (this.last?.value === value) this.last = void 0;
        });
        return value;
      }
    };
  }
});

// src/web/backfill-routes.ts
function parseLaunch(body) {
  const text = (field) => {
    const value = body[field];
    if (typeof value !== "string" || value === "") throw new HttpError(400, "INVALID_REQUEST", `body needs "${field}": ${field === "selection" ? "a selection expression" : "a partition key"}`);
    return value;
  };
  const trigger = body.trigger ?? "api";
  if (!["api", "cli", "web"].includes(trigger)) throw new HttpError(400, "INVALID_REQUEST", 'trigger must be "api", "cli" or "web"');
  if (body.policy !== void 0 && typeof body.policy !== "string") throw new HttpError(400, "INVALID_REQUEST", '"policy" must be per-partition, single-run or chunks:N');
  const max = body.maxConcurrentRuns ?? null;
  if (max !== null && (!Number.isSafeInteger(max) || max < 1)) throw new HttpError(400, "INVALID_REQUEST", '"maxConcurrentRuns" must be a whole number >= 1, or null');
  for (const flag of ["onlyFailed", "onlyMissing", "allowFailedChecks"]) {
    if (body[flag] !== void 0 && typeof body[flag] !== "boolean") throw new HttpError(400, "INVALID_REQUEST", `"${flag}" must be true or false`);
  }
  return {
    selection: text("selection"),
    from: text("from"),
    to: text("to"),
    policy: parseBackfillPolicy(body.policy ?? "per-partition", "policy"),
    maxConcurrentRuns: max,
    trigger
  };
}
async function backfillRoute(deps, method, path, url, req) {
  if (path === "/api/backfills" && method === "POST") {
    const body = await readJson(req);
    const parsed = parseLaunch(body);
    const { config, configRef } = await launchConfig(deps.instance, body);
    const started = Date.now();
    const backfill2 = await launchBackfill(
      { instance: deps.instance, graph: deps.graph },
      {
        ...parsed,
        onlyFailed: body.onlyFailed === true,
        onlyMissing: body.onlyMissing === true,
        config,
        configRef,
        tags: body.tags ?? {},
        trigger: parsed.trigger,
        now: /* @__PURE__ */ new Date(),
        allowFailedChecks: body.allowFailedChecks === true
      }
    );
    const [first] = await deps.instance.listBackfillRuns(backfill2.id);
    if (first) deps.onQueued(first.runId);
    const response = {
      backfillId: backfill2.id,
      status: backfill2.status,
      partitions: backfill2.partitions.length,
      runs: backfill2.runCount,
      launchMs: Date.now() - started
    };
    return [201, response];
  }
  if (path === "/api/backfills" && method === "GET") {
    const limit = queryInt(url, "limit", 50, 1e3);
    if (limit < 1) throw new HttpError(400, "INVALID_QUERY", "limit must be a whole number >= 1");
    const statuses = url.searchParams.get("status")?.split(",").filter(Boolean).map((s) => s.toUpperCase());
    if (statuses?.some((s) => !STATUSES3.includes(s))) throw new HttpError(400, "INVALID_QUERY", `status must be among ${STATUSES3.join(", ")}`);
    const backfills = await listBackfillItems(deps.instance, { limit, ...statuses && statuses.length > 0 ? { statuses } : {} });
    return [200, { backfills }];
  }
  const match = /^\/api\/backfills\/([^/]+)(\/cancel)?$/.exec(path);
  if (!match) return void 0;
  const id = decodeURIComponent(match[1]);
  if (method === "GET" && !match[2]) return [200, await describeBackfill(deps.instance, id)];
  if (method === "POST" && match[2]) {
    if (!await deps.instance.getBackfill(id)) throw new UnknownBackfillError(id);
    const status = await cancelBackfill(deps.instance, id, (runId) => deps.launcher.cancel(runId), () => /* @__PURE__ */ new Date());
    return [200, { backfillId: id, status }];
  }
  return void 0;
}
var STATUSES3;
var init_backfill_routes = __esm({
  "src/web/backfill-routes.ts"() {
    "use strict";
    init_launch_backfill();
    init_settle_backfills();
    init_backfill_summary();
    init_config_routes();
    init_http_util();
    STATUSES3 = ["RUNNING", "COMPLETED", "FAILED", "CANCELING", "CANCELED"];
  }
});

// src/web/launch-preview.ts
function configDefaults(graph, key) {
  const schema = graph.get(key).config;
  if (!schema) return null;
  const parsed = schema.safeParse({});
  return parsed.success ? parsed.data : null;
}
function previewLaunch(graph, selection, config, now) {
  const selected = selectAssets(selection, graph);
  const keys = graph.order.filter((k) => selected.has(k));
  let configError = null;
  try {
    validateRunConfig(graph, selected, config);
  } catch (error) {
    if (!isSluiceError(error)) throw error;
    configError = { code: error.code, message: error.message };
  }
  const partitioned = keys.filter((k) => graph.get(k).partitions);
  const def = partitioned.length > 0 ? graph.get(partitioned[0]).partitions : void 0;
  return {
    keys,
    partitions: def ? { keys: partitioned, definition: describePartitions(def), latest: lastPartitionKey(def, now) ?? null } : null,
    configurable: keys.filter((k) => graph.get(k).config).map((key) => ({ key, defaults: configDefaults(graph, key) })),
    checks: keys.reduce((n, k) => n + graph.checksOf(k).length, 0),
    configError
  };
}
var init_launch_preview = __esm({
  "src/web/launch-preview.ts"() {
    "use strict";
    init_errors();
    init_describe_partitions();
    init_partition_keys();
    init_validate_run_config();
    init_selection();
  }
});

// src/web/lineage-layout.ts
function layoutLineage(graph) {
  const keys = graph.order;
  const index = new Map(keys.map((k, i) => [k, i]));
  const column = new Int32Array(keys.length);
  for (const key of keys) {
    const i = index.get(key);
    let c = 0;
    for (const parent of graph.parents(key)) c = Math.max(c, column[index.get(parent)] + 1);
    column[i] = c;
  }
  const columns = [];
  keys.forEach((_, i) => (columns[column[i]] ??= []).push(i));
  const group = keys.map((k) => graph.get(k).group);
  const groups = [...new Set(group)].sort();
  const groupRank = new Map(groups.map((g, i) => [g, i]));
  const parents = keys.map((k) => graph.parents(k).map((p) => index.get(p)));
  const children = keys.map((k) => graph.children(k).map((c) => index.get(c)));
  const row = new Float64Array(keys.length);
  for (const col of columns) {
    col.sort((a, b) => groupRank.get(group[a]) - groupRank.get(group[b]) || keys[a].localeCompare(keys[b]));
    col.forEach((n, r) => row[n] = r);
  }
  const reorder = (col, neighbours) => {
    const weight = /* @__PURE__ */ new Map();
    for (const n of col) {
      const ns = neighbours[n];
      weight.set(n, ns.length === 0 ? row[n] : ns.reduce((sum, m) => sum + row[m], 0) / ns.length);
    }
    col.sort((a, b) => groupRank.get(group[a]) - groupRank.get(group[b]) || weight.get(a) - weight.get(b) || keys[a].localeCompare(keys[b]));
    col.forEach((n, r) => row[n] = r);
  };
  for (let s = 0; s < SWEEPS; s++) {
    if (s % 2 === 0) for (let c = 1; c < columns.length; c++) reorder(columns[c], parents);
    else for (let c = columns.length - 2; c >= 0; c--) reorder(columns[c], children);
  }
  const tallest = Math.max(0, ...columns.map((c) => c.length));
  const rowHeight = NODE_HEIGHT + ROW_GAP;
  const nodes = keys.map((key, i) => {
    const size = columns[column[i]].length;
    const offset2 = tallest <= CENTRE_UP_TO ? (tallest - size) * rowHeight / 2 : 0;
    return { key, group: group[i], x: column[i] * (NODE_WIDTH + COLUMN_GAP), y: offset2 + row[i] * rowHeight, checks: graph.checksOf(key).length };
  });
  const edges = [];
  keys.forEach((_, i) => parents[i].forEach((p) => edges.push([p, i])));
  return {
    nodes,
    edges,
    width: Math.max(0, columns.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP),
    height: tallest * rowHeight,
    nodeWidth: NODE_WIDTH,
    nodeHeight: NODE_HEIGHT,
    groups
  };
}
var NODE_WIDTH, NODE_HEIGHT, COLUMN_GAP, ROW_GAP, SWEEPS, CENTRE_UP_TO;
var init_lineage_layout = __esm({
  "src/web/lineage-layout.ts"() {
    "use strict";
    NODE_WIDTH = 200;
    NODE_HEIGHT = 34;
    COLUMN_GAP = 90;
    ROW_GAP = 14;
    SWEEPS = 4;
    CENTRE_UP_TO = 40;
  }
});

// src/web/reexecute.ts
async function reexecuteFromFailure(deps, parentRunId, options) {
  const parent = await deps.instance.getRun(parentRunId);
  if (!parent) throw new UnknownRunError(parentRunId);
  if (parent.status !== "FAILURE" && parent.status !== "CANCELED") {
    throw new SluiceError(
      "NOT_REEXECUTABLE",
      `run "${parentRunId}" is ${parent.status}; only a FAILURE or CANCELED run can be re-executed from failure`,
      { runId: parentRunId, status: parent.status }
    );
  }
  const steps = await deps.instance.listSteps(parentRunId);
  const keys = /* @__PURE__ */ new Set();
  for (const step of steps) {
    if (step.status === "SUCCEEDED") continue;
    if (deps.graph.has(step.assetKey)) keys.add(step.assetKey);
  }
  if (keys.size === 0) {
    throw new SluiceError("NOTHING_TO_REEXECUTE", `run "${parentRunId}" has no failed or unfinished step of an asset that still exists`, { runId: parentRunId });
  }
  const sorted = deps.graph.order.filter((k) => keys.has(k));
  const selection = sorted.map((k) => `key:${formatValue(k)}`).join(" or ");
  const config = Object.fromEntries(Object.entries(parent.config).filter(([key]) => keys.has(key)));
  const partitioned = sorted.some((k) => deps.graph.get(k).partitions !== void 0);
  const tags = Object.fromEntries(Object.entries(parent.tags).filter(([key]) => !PARTITION_TAGS.includes(key)));
  const run2 = await launchRun(deps, {
    selection,
    config,
    ...partitioned && parent.partition ? { partition: parent.partition, partitionSource: `partition of run "${parent.id}"` } : {},
    tags: { ...tags, [PARENT_RUN_TAG]: parent.id, [ROOT_RUN_TAG]: parent.tags[ROOT_RUN_TAG] ?? parent.id },
    trigger: options.trigger,
    now: options.now,
    selectionSource: "re-execution selection"
  });
  return { run: run2, selection };
}
var PARTITION_TAGS, PARENT_RUN_TAG, ROOT_RUN_TAG;
var init_reexecute = __esm({
  "src/web/reexecute.ts"() {
    "use strict";
    init_errors();
    init_format_selection();
    init_launch_run();
    init_run_partitions();
    init_run_summary();
    PARTITION_TAGS = [PARTITION_TAG, PARTITION_RANGE_START_TAG, PARTITION_RANGE_END_TAG];
    PARENT_RUN_TAG = "sluice/parent_run_id";
    ROOT_RUN_TAG = "sluice/root_run_id";
  }
});

// src/web/api-routes.ts
function parseSince2(url) {
  const raw = url.searchParams.get("since");
  if (raw === null || raw === "") return void 0;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw new HttpError(400, "INVALID_QUERY", `since takes an ISO-8601 instant (got "${raw}")`);
  return at;
}
function parseTagFilters(url) {
  const out = url.searchParams.getAll("tag").map((raw) => {
    const eq = raw.indexOf("=");
    if (eq <= 0) throw new HttpError(400, "INVALID_QUERY", `tag filter takes key=value (got "${raw}")`);
    return [raw.slice(0, eq), raw.slice(eq + 1)];
  });
  const schedule = url.searchParams.get("schedule");
  if (schedule) out.push([SCHEDULE_TAG2, schedule]);
  return out;
}
function apiRoutes(deps) {
  const states = new AssetStateCache(deps.instance, deps.graph);
  let lineage;
  const launched = (run2) => {
    deps.onQueued(run2.id);
  };
  const route = async (req, url) => {
    const method = req.method ?? "GET";
    const path = url.pathname;
    if (method === "GET" && path === "/api/assets") {
      const select = url.searchParams.get("select");
      const keys = select === null ? deps.graph.keys() : [...selectAssets(select, deps.graph)].sort();
      if (url.searchParams.get("status") !== "true") return [200, { assets: keys.map((key) => assetView(deps.graph, key)) }];
      const statuses = await loadAssetStatuses(deps.instance, deps.graph, /* @__PURE__ */ new Date());
      return [
        200,
        {
          assets: keys.map((key) => {
            const s = statuses.get(key);
            return { ...assetView(deps.graph, key), status: s.status, statusReason: s.reason, partitions: s.partitions };
          })
        }
      ];
    }
    const partitioned = /^\/api\/assets\/(.+)\/partitions$/.exec(path);
    if (method === "GET" && partitioned && !deps.graph.has(decodeURIComponent(path.slice("/api/assets/".length)))) {
      return [200, await loadAssetPartitions(deps.instance, deps.graph, decodeURIComponent(partitioned[1]), /* @__PURE__ */ new Date())];
    }
    if (method === "GET" && path === "/api/asset-states") {
      return [200, { states: [...(await states.get()).values()] }];
    }
    if (method === "GET" && path === "/api/lineage") {
      lineage ??= layoutLineage(deps.graph);
      return [200, lineage];
    }
    if (method === "GET" && path === "/api/selection") {
      const select = url.searchParams.get("select") ?? "";
      const selected = selectAssets(select, deps.graph);
      return [200, { keys: deps.graph.order.filter((k) => selected.has(k)) }];
    }
    if (method === "POST" && path === "/api/launch/preview") {
      const body = await readJson(req);
      if (typeof body.selection !== "string") throw new HttpError(400, "INVALID_REQUEST", 'body needs "selection": a selection expression');
      return [200, previewLaunch(deps.graph, body.selection, body.config, /* @__PURE__ */ new Date())];
    }
    const asset = /^\/api\/assets\/(.+)$/.exec(path);
    if (method === "GET" && asset) {
      const key = decodeURIComponent(asset[1]);
      if (!deps.graph.has(key)) throw new HttpError(404, "UNKNOWN_ASSET", `no asset "${key}" in this project${didYouMean(suggest(key, deps.graph.keys()))}`);
      const def = deps.graph.get(key);
      const [all, materializations, checks] = await Promise.all([
        states.get(),
        deps.instance.materializations(key, { limit: queryInt(url, "limit", 50, 1e3) }),
        deps.instance.checkResults({ assetKey: key, limit: queryInt(url, "limit", 50, 1e3) })
      ]);
      const detail = {
        asset: { ...assetView(deps.graph, key), description: def.description ?? null, codeVersion: def.codeVersion ?? null, source: deps.graph.sourceOf(key) ?? null },
        state: all.get(key),
        upstream: [...deps.graph.parents(key)].sort(),
        downstream: [...deps.graph.children(key)],
        takesConfig: def.config !== void 0,
        partitionsDefinition: def.partitions ? describePartitions(def.partitions) : null,
        configDefaults: configDefaults(deps.graph, key),
        materializations: materializations.map(materializationView),
        checkHistory: checks.map(checkResultView)
      };
      return [200, detail];
    }
    if (method === "GET" && path === "/api/runs") {
      const limit = queryInt(url, "limit", 50, 1e3);
      if (limit < 1) throw new HttpError(400, "INVALID_QUERY", "limit must be a whole number >= 1");
      const statuses = url.searchParams.get("status")?.split(",").filter(Boolean).map((s) => s.toUpperCase());
      if (statuses?.some((s) => !STATUSES4.includes(s))) throw new HttpError(400, "INVALID_QUERY", `status must be among ${STATUSES4.join(", ")}`);
      const tags = parseTagFilters(url);
      const since = parseSince2(url);
      const runs = await deps.instance.listRuns({
        limit,
        ...statuses && statuses.length > 0 ? { statuses } : {},
        ...tags.length > 0 ? { tags: Object.fromEntries(tags) } : {},
        ...since ? { since } : {}
      });
      return [200, { runs: await runListItems(deps.instance, runs) }];
    }
    if (method === "POST" && path === "/api/runs") {
      const body = await readJson(req);
      if (typeof body.selection !== "string") throw new HttpError(400, "INVALID_REQUEST", 'body needs "selection": a selection expression');
      const trigger = body.trigger ?? "api";
      if (!["api", "cli", "web"].includes(trigger)) throw new HttpError(400, "INVALID_REQUEST", 'trigger must be "api", "cli" or "web"');
      if (body.allowFailedChecks !== void 0 && typeof body.allowFailedChecks !== "boolean") {
        throw new HttpError(400, "INVALID_REQUEST", '"allowFailedChecks" must be true or false');
      }
      if (body.partition !== void 0 && (typeof body.partition !== "string" || body.partition === "")) {
        throw new HttpError(400, "INVALID_REQUEST", '"partition" must be a partition key or a range "FROM...TO"');
      }
      const { config, configRef } = await launchConfig(deps.instance, body);
      const run2 = await launchRun(
        { instance: deps.instance, graph: deps.graph },
        {
          selection: body.selection,
          config,
          configRef,
          tags: body.tags ?? {},
          trigger,
          now: /* @__PURE__ */ new Date(),
          allowFailedChecks: body.allowFailedChecks === true,
          ...body.partition !== void 0 ? { partition: body.partition, partitionSource: "partition" } : {}
        }
      );
      launched(run2);
      return [201, { runId: run2.id, status: run2.status, steps: (await deps.instance.listSteps(run2.id)).length }];
    }
    const match = /^\/api\/runs\/([^/]+)(\/events|\/cancel|\/steps|\/reexecute)?$/.exec(path);
    if (match) {
      const runId = decodeURIComponent(match[1]);
      if (method === "GET" && !match[2]) return [200, await describeRun(deps.instance, runId)];
      if (method === "GET" && match[2] === "/steps") return [200, { steps: (await describeRun(deps.instance, runId)).steps }];
      if (method === "GET" && match[2] === "/events") {
        if (!await deps.instance.getRun(runId)) throw new UnknownRunError(runId);
        const after = queryInt(url, "after", 0, Number.MAX_SAFE_INTEGER);
        const types = url.searchParams.get("type")?.split(",").filter(Boolean);
        const step = url.searchParams.get("step");
        const limit = queryInt(url, "limit", 1e3, 1e4);
        let events = await deps.instance.listEvents(runId, { afterId: after, limit: step ? 1e4 : limit, ...types ? { types } : {} });
        if (step) events = events.filter((e) => e.stepKey === step).slice(0, limit);
        return [200, { events: events.map((e) => ({ ...e, at: e.at.toISOString() })) }];
      }
      if (method === "POST" && match[2] === "/cancel") {
        if (!await deps.instance.getRun(runId)) throw new UnknownRunError(runId);
        await deps.launcher.cancel(runId);
        return [200, { runId, status: (await deps.instance.getRun(runId)).status }];
      }
      if (method === "POST" && match[2] === "/reexecute") {
        const body = await readJson(req);
        const trigger = typeof body.trigger === "string" && ["api", "cli", "web"].includes(body.trigger) ? body.trigger : "api";
        const { run: run2, selection } = await reexecuteFromFailure({ instance: deps.instance, graph: deps.graph }, runId, { trigger, now: /* @__PURE__ */ new Date() });
        launched(run2);
        return [201, { runId: run2.id, status: run2.status, steps: (await deps.instance.listSteps(run2.id)).length, parentRunId: runId, selection }];
      }
    }
    if (path.startsWith("/api/backfills")) {
      const answer2 = await backfillRoute(deps, method, path, url, req);
      if (answer2) return answer2;
    }
    if (path.startsWith("/api/configs")) {
      const answer2 = await configRoute(deps, method, path, url, req);
      if (answer2) return answer2;
    }
    if (method === "GET" && path === "/api/heartbeats") {
      const beats = await deps.instance.listHeartbeats();
      return [200, { heartbeats: beats.map((b) => ({ id: b.id, kind: b.kind, host: b.host, pid: b.pid, startedAt: b.startedAt.toISOString(), lastSeen: b.at.toISOString(), info: b.info })) }];
    }
    if (method === "GET" && path === "/api/schedules") return [200, { schedules: await scheduleViews(deps) }];
    const named = /^\/api\/schedules\/([^/]+)\/(start|stop)$/.exec(path);
    if (method === "POST" && named) {
      const name = decodeURIComponent(named[1]);
      const known = (deps.schedules ?? []).map((s) => s.definition.name);
      if (!known.includes(name)) throw new HttpError(404, "UNKNOWN_SCHEDULE", `no schedule "${name}" in this project${didYouMean(suggest(name, known))}`);
      return [200, { state: scheduleStateView(await deps.instance.setScheduleStatus(name, named[2] === "start" ? "RUNNING" : "STOPPED", /* @__PURE__ */ new Date())) }];
    }
    if (method === "GET" && path === "/api/schedule-states") {
      return [200, { states: (await deps.instance.listScheduleStates()).map(scheduleStateView) }];
    }
    const schedule = /^\/api\/schedule-states\/([^/]+)(\/ticks)?$/.exec(path);
    if (schedule) {
      const name = decodeURIComponent(schedule[1]);
      if (method === "POST" && !schedule[2]) {
        const body = await readJson(req);
        if (body.status !== "RUNNING" && body.status !== "STOPPED") throw new HttpError(400, "INVALID_REQUEST", 'body needs "status": "RUNNING" or "STOPPED"');
        return [200, { state: scheduleStateView(await deps.instance.setScheduleStatus(name, body.status, /* @__PURE__ */ new Date())) }];
      }
      if (method === "GET" && schedule[2] === "/ticks") {
        const limit = Number(url.searchParams.get("limit") ?? 100);
        if (!Number.isInteger(limit) || limit < 1) throw new HttpError(400, "INVALID_QUERY", "limit must be a whole number >= 1");
        return [200, { ticks: (await deps.instance.listTicks(name, { limit })).map(tickView) }];
      }
    }
    throw new HttpError(404, "NOT_FOUND", `no route ${method} ${path}`);
  };
  return { route, states };
}
async function scheduleViews(deps) {
  const schedules = deps.schedules ?? [];
  const stored = new Map((await deps.instance.listScheduleStates()).map((s) => [s.name, s]));
  const now = /* @__PURE__ */ new Date();
  return Promise.all(
    schedules.map(async ({ definition: d, ticks }) => {
      const [last] = await deps.instance.listTicks(d.name, { limit: 1 });
      return {
        name: d.name,
        cron: d.cron,
        timezone: d.timezone,
        selection: d.select,
        description: d.description ?? null,
        status: stored.get(d.name)?.status ?? d.defaultStatus,
        nextTick: ticks.nextAfter(now)?.toISOString() ?? null,
        lastTick: last ? tickView(last) : null
      };
    })
  );
}
var SCHEDULE_TAG2, STATUSES4;
var init_api_routes = __esm({
  "src/web/api-routes.ts"() {
    "use strict";
    init_describe_partitions();
    init_selection();
    init_suggest();
    init_launch_run();
    init_run_summary();
    init_asset_partitions2();
    init_asset_statuses();
    init_run_list_item();
    init_asset_status2();
    init_backfill_routes();
    init_asset_views();
    init_http_util();
    init_config_routes();
    init_launch_preview();
    init_lineage_layout();
    init_reexecute();
    init_schedule_views();
    SCHEDULE_TAG2 = "sluice/schedule";
    STATUSES4 = ["QUEUED", "STARTED", "SUCCESS", "FAILURE", "CANCELING", "CANCELED"];
  }
});

// src/web/auth.ts
import { createHmac, timingSafeEqual } from "node:crypto";
function isLoopbackHost(host) {
  return LOOPBACK_NAMES.has(host) || /^127(\.\d{1,3}){3}$/.test(host) || host.endsWith(".localhost");
}
function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
function bearerMatches(req, token) {
  const header = req.headers.authorization ?? "";
  return header.startsWith("Bearer ") && safeEqual(header.slice(7), token);
}
function tokenMatches(given, token) {
  return safeEqual(given, token);
}
function sign(token, expiry) {
  return createHmac("sha256", token).update(`sluice-session:${expiry}`).digest("base64url");
}
function sessionCookie(token, now) {
  const expiry = now + SESSION_MS;
  return `${SESSION_COOKIE}=${expiry}.${sign(token, expiry)}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${SESSION_MS / 1e3}`;
}
function clearedSessionCookie() {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;
}
function cookieValue(req, name) {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return void 0;
}
function sessionValid(req, token, now) {
  const value = cookieValue(req, SESSION_COOKIE);
  if (!value) return false;
  const dot = value.indexOf(".");
  const expiry = Number(value.slice(0, dot));
  if (dot <= 0 || !Number.isInteger(expiry) || expiry < now) return false;
  return safeEqual(value.slice(dot + 1), sign(token, expiry));
}
function hostOf(req) {
  const host = (req.headers.host ?? "").toLowerCase();
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
}
function crossSiteReason(req, options) {
  const site = req.headers["sec-fetch-site"];
  if (site !== void 0) {
    if (site !== "same-origin" && site !== "none") return `Sec-Fetch-Site is "${String(site)}"`;
  } else if (req.headers.origin !== void 0) {
    const origin = req.headers.origin;
    if (origin === "null") return 'Origin is "null"';
    let originHost;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      return "Origin is not a URL";
    }
    if (originHost !== (req.headers.host ?? "").toLowerCase()) return `Origin ${origin} is not this server`;
  }
  if (options.requireCustomHeader && req.headers[CSRF_HEADER] !== "1") return `the ${CSRF_HEADER}: 1 header is missing`;
  return void 0;
}
function safeNext(raw) {
  return raw && raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\") ? raw : "/";
}
var SESSION_COOKIE, SESSION_MS, CSRF_HEADER, LOOPBACK_NAMES;
var init_auth = __esm({
  "src/web/auth.ts"() {
    "use strict";
    SESSION_COOKIE = "sluice_session";
    SESSION_MS = 12 * 60 * 60 * 1e3;
    CSRF_HEADER = "x-sluice-csrf";
    LOOPBACK_NAMES = /* @__PURE__ */ new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
  }
});

// src/web/api-server.ts
import { createServer } from "node:http";
function errorResponse(error) {
  const notFound = error instanceof UnknownRunError || error instanceof UnknownBackfillError || error instanceof UnknownAssetError;
  const status = error instanceof HttpError ? error.status : notFound ? 404 : isSluiceError(error) && error.kind === "input" ? 400 : 500;
  const body = isSluiceError(error) ? { error: { code: error.code, message: error.message } } : { error: { code: "INTERNAL", message: "internal error; see the daemon log" } };
  return [status, body];
}
function answer(route, req, res, url, onError) {
  route(req, url).then(
    ([status, body]) => sendJson(res, status, body),
    (error) => {
      const [status, body] = errorResponse(error);
      if (status >= 500) onError?.(error);
      sendJson(res, status, body);
    }
  );
}
function apiHandler(deps) {
  const { route } = apiRoutes(deps);
  const guarded = async (req, url) => {
    const method = req.method ?? "GET";
    if (method === "GET" && url.pathname === "/healthz") return [200, { ok: true }];
    if (!url.pathname.startsWith("/api/")) throw new HttpError(404, "NOT_FOUND", `no route ${method} ${url.pathname}`);
    if (deps.token !== void 0 && !bearerMatches(req, deps.token)) throw new HttpError(401, "UNAUTHORIZED", "missing or wrong bearer token");
    return route(req, url);
  };
  return (req, res) => answer(guarded, req, res, new URL(req.url ?? "/", "http://localhost"));
}
async function startApiServer(deps, host, port) {
  const server = createServer(apiHandler(deps));
  await listen(server, host, port);
  return { server, url: urlOf(server, host) };
}
function listen(server, host, port) {
  return new Promise((resolve6, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve6();
    });
  });
}
function urlOf(server, host) {
  const address = server.address();
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}
var init_api_server = __esm({
  "src/web/api-server.ts"() {
    "use strict";
    init_errors();
    init_run_summary();
    init_asset_partitions2();
    init_backfill_summary();
    init_api_routes();
    init_auth();
    init_http_util();
  }
});

// src/web/web-binding.ts
function resolveWebBinding(options) {
  const host = options.host.trim();
  if (host === "") throw new SluiceError("INVALID_FLAG", "--web-host must not be empty (e.g. 127.0.0.1)", { flag: "--web-host" });
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SluiceError("INVALID_FLAG", `--web-port must be a port number 0..65535 (got "${options.port}")`, { flag: "--web-port", value: options.port });
  }
  const token = options.token === "" ? void 0 : options.token;
  const loopback = isLoopbackHost(host.toLowerCase());
  if (!loopback && token === void 0) {
    throw new SluiceError(
      "WEB_TOKEN_REQUIRED",
      `the dashboard would listen on ${host}, which is not a loopback address, without access control; set SLUICE_WEB_TOKEN to a random secret of at least ${MIN_TOKEN} characters (e.g. \`openssl rand -base64 32\`), or bind to 127.0.0.1`,
      { host }
    );
  }
  if (token !== void 0 && token.length < MIN_TOKEN) {
    throw new SluiceError("WEB_TOKEN_TOO_SHORT", `SLUICE_WEB_TOKEN must be at least ${MIN_TOKEN} characters (it has ${token.length}); use e.g. \`openssl rand -base64 32\``, {});
  }
  return { host, port, token, loopback };
}
var MIN_TOKEN;
var init_web_binding = __esm({
  "src/web/web-binding.ts"() {
    "use strict";
    init_errors();
    init_auth();
    MIN_TOKEN = 16;
  }
});

// src/runtime/board-queues.ts
import { Queue as Queue2 } from "bullmq";
function boardQueues(settings, redis) {
  const names2 = [STEPS_QUEUE, ...Object.keys(settings.pools).map(poolQueueName)];
  const queues = names2.map((name) => {
    const queue = new Queue2(name, { connection: redis, prefix: settings.redisPrefix });
    queue.on("error", () => {
    });
    return queue;
  });
  return { queues, close: async () => void await Promise.all(queues.map((q) => q.close())) };
}
var init_board_queues = __esm({
  "src/runtime/board-queues.ts"() {
    "use strict";
    init_step_job();
  }
});

// src/web/login-page.ts
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function loginPage(next, error) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sluice: log in</title><link rel="stylesheet" href="/static/app.css"></head>
<body class="login"><main class="login-box">
<h1>Sluice</h1>
<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="token">Access token (SLUICE_WEB_TOKEN)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<button type="submit">Log in</button>
</form></main></body></html>`;
}
var init_login_page = __esm({
  "src/web/login-page.ts"() {
    "use strict";
  }
});

// src/web/metrics.ts
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
var ACTIVE2, ENDED_WINDOW, SluiceMetrics;
var init_metrics = __esm({
  "src/web/metrics.ts"() {
    "use strict";
    init_backfill_progress();
    ACTIVE2 = ["QUEUED", "STARTED", "CANCELING"];
    ENDED_WINDOW = 200;
    SluiceMetrics = class {
      constructor(deps, now = Date.now()) {
        this.deps = deps;
        this.since = now;
        const registers = [this.registry];
        collectDefaultMetrics({ register: this.registry, prefix: "sluice_web_" });
        this.runs = new Gauge({ name: "sluice_runs", help: "Runs in flight by status (QUEUED, STARTED, CANCELING)", labelNames: ["status"], registers });
        this.steps = new Gauge({ name: "sluice_steps", help: "Steps of runs in flight by status", labelNames: ["status", "kind"], registers });
        this.queueDepth = new Gauge({ name: "sluice_queue_depth", help: 'Work waiting: queue="runs" counts QUEUED runs; other queues count BullMQ step jobs waiting, delayed or active', labelNames: ["queue"], registers });
        this.heartbeatAge = new Gauge({ name: "sluice_heartbeat_age_seconds", help: "Seconds since each daemon or worker last reported", labelNames: ["kind", "id"], registers });
        this.processes = new Gauge({ name: "sluice_processes", help: "Daemons and workers by liveness (alive = heartbeat fresher than the worker timeout)", labelNames: ["kind", "state"], registers });
        this.tickLateness = new Gauge({ name: "sluice_schedule_tick_lateness_seconds", help: "How late each schedule's latest tick was claimed after its scheduled instant", labelNames: ["schedule"], registers });
        this.backfills = new Gauge({ name: "sluice_backfills", help: "Unfinished backfills by status (RUNNING, CANCELING)", labelNames: ["status"], registers });
        this.backfillPartitions = new Gauge({
          name: "sluice_backfill_partitions",
          help: "Partitions of unfinished backfills by state (done, failed, running, queued, canceled)",
          labelNames: ["backfill", "state"],
          registers
        });
        this.runsFinished = new Counter({ name: "sluice_runs_finished_total", help: "Runs that ended since this process started, by status", labelNames: ["status"], registers });
        this.stepsFinished = new Counter({ name: "sluice_steps_finished_total", help: "Steps of runs that ended since this process started, by status", labelNames: ["status", "kind"], registers });
        this.stepDuration = new Histogram({
          name: "sluice_step_duration_seconds",
          help: "Durations of steps (last attempt) of runs that ended since this process started",
          labelNames: ["kind", "status"],
          buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
          registers
        });
      }
      deps;
      registry = new Registry();
      runs;
      steps;
      queueDepth;
      heartbeatAge;
      processes;
      tickLateness;
      backfills;
      backfillPartitions;
      runsFinished;
      stepsFinished;
      stepDuration;
      counted = /* @__PURE__ */ new Map();
      since;
      refreshing;
      /** The exposition text (content type in `contentType`). */
      async text() {
        await this.refresh();
        return this.registry.metrics();
      }
      get contentType() {
        return this.registry.contentType;
      }
      refresh() {
        const now = Date.now();
        if (this.refreshing && now - this.refreshing.at < (this.deps.cacheMs ?? 2e3)) return this.refreshing.done;
        const done = this.read(now);
        this.refreshing = { at: now, done };
        done.catch(() => {
          if (this.refreshing?.done === done) this.refreshing = void 0;
        });
        return done;
      }
      async read(now) {
        const { instance } = this.deps;
        const [active, recent, beats, depth2, ticks, backfills] = await Promise.all([
          Promise.all(ACTIVE2.map((status) => instance.listRuns({ statuses: [status], limit: 1e4 }))),
          instance.listRuns({ limit: ENDED_WINDOW }),
          instance.listHeartbeats(),
          this.deps.stepQueueDepth?.() ?? Promise.resolve({}),
          Promise.all((this.deps.schedules ?? []).map(async (s) => [s.definition.name, (await instance.listTicks(s.definition.name, { limit: 1 }))[0]])),
          instance.listBackfills({ statuses: ["RUNNING", "CANCELING"] })
        ]);
        this.backfills.reset();
        for (const status of ["RUNNING", "CANCELING"]) this.backfills.set({ status }, backfills.filter((b) => b.status === status).length);
        this.backfillPartitions.reset();
        for (const backfill2 of backfills) {
          const { counts } = backfillProgress(backfill2, await instance.listBackfillRuns(backfill2.id));
          for (const [state, n] of Object.entries(counts)) this.backfillPartitions.set({ backfill: backfill2.id, state }, n);
        }
        this.runs.reset();
        ACTIVE2.forEach((status, i) => this.runs.set({ status }, active[i].length));
        this.queueDepth.reset();
        this.queueDepth.set({ queue: "runs" }, active[0].length);
        for (const [queue, n] of Object.entries(depth2)) this.queueDepth.set({ queue }, n);
        this.steps.reset();
        const started = active[1].concat(active[2]);
        for (const steps of await Promise.all(started.map((r) => instance.listSteps(r.id)))) {
          for (const s of steps) if (s.status === "PENDING" || s.status === "RUNNING") this.steps.inc({ status: s.status, kind: s.kind });
        }
        this.heartbeatAge.reset();
        this.processes.reset();
        for (const kind of ["daemon", "worker"]) for (const state of ["alive", "stale"]) this.processes.set({ kind, state }, 0);
        for (const b of beats) {
          const age = (now - b.at.getTime()) / 1e3;
          this.heartbeatAge.set({ kind: b.kind, id: b.id }, age);
          this.processes.inc({ kind: b.kind, state: age * 1e3 <= this.deps.heartbeatTimeoutMs ? "alive" : "stale" });
        }
        this.tickLateness.reset();
        for (const [name, tick] of ticks) if (tick) this.tickLateness.set({ schedule: name }, Math.max(0, (tick.claimedAt.getTime() - tick.scheduledFor.getTime()) / 1e3));
        const ended = recent.filter((r) => r.endedAt && r.endedAt.getTime() >= this.since && !this.counted.has(r.id) && ["SUCCESS", "FAILURE", "CANCELED"].includes(r.status));
        for (const run2 of ended) {
          this.counted.set(run2.id, run2.endedAt.getTime());
          this.runsFinished.inc({ status: run2.status });
          for (const s of await instance.listSteps(run2.id)) {
            this.stepsFinished.inc({ status: s.status, kind: s.kind });
            if (s.startedAt && s.endedAt) this.stepDuration.observe({ kind: s.kind, status: s.status }, (s.endedAt.getTime() - s.startedAt.getTime()) / 1e3);
          }
        }
        const inWindow = new Set(recent.map((r) => r.id));
        for (const id of this.counted.keys()) if (!inWindow.has(id)) this.counted.delete(id);
      }
    };
  }
});

// src/web/board-path.ts
var BOARD_PATH;
var init_board_path = __esm({
  "src/web/board-path.ts"() {
    "use strict";
    BOARD_PATH = "/queues";
  }
});

// src/web/run-event-hub.ts
var ENDS2, PAGE, TERMINAL, RunEventHub;
var init_run_event_hub = __esm({
  "src/web/run-event-hub.ts"() {
    "use strict";
    ENDS2 = /* @__PURE__ */ new Set(["RUN_SUCCESS", "RUN_FAILURE", "RUN_CANCELED"]);
    PAGE = 500;
    TERMINAL = /* @__PURE__ */ new Set(["SUCCESS", "FAILURE", "CANCELED"]);
    RunEventHub = class {
      constructor(instance, intervalMs = 150) {
        this.instance = instance;
        this.intervalMs = intervalMs;
      }
      instance;
      intervalMs;
      tails = /* @__PURE__ */ new Map();
      /** Calls `listener` with every event of the run after `afterId`; returns the unsubscribe function. */
      async subscribe(runId, afterId, listener) {
        let cursor = afterId;
        for (; ; ) {
          const existing = this.tails.get(runId);
          const target = existing ? existing.cursor : Number.MAX_SAFE_INTEGER;
          while (cursor < target) {
            const events = (await this.instance.listEvents(runId, { afterId: cursor, limit: PAGE })).filter((e) => e.id <= target);
            if (events.length === 0) break;
            cursor = events.at(-1).id;
            const ended = events.some((e) => ENDS2.has(e.type));
            listener(events, ended);
            if (ended) return () => {
            };
          }
          const tail = this.tails.get(runId);
          if (tail && cursor >= tail.cursor) return this.join(runId, tail, cursor, listener);
          if (tail) continue;
          const run2 = await this.instance.getRun(runId);
          if (!run2 || TERMINAL.has(run2.status)) {
            listener(await this.instance.listEvents(runId, { afterId: cursor }), true);
            return () => {
            };
          }
          if (this.tails.has(runId)) continue;
          const created = { cursor, ended: false, listeners: /* @__PURE__ */ new Set(), timer: void 0 };
          this.tails.set(runId, created);
          this.schedule(runId, created);
          return this.join(runId, created, cursor, listener);
        }
      }
      join(runId, tail, from, listener) {
        let cursor = from;
        const filtered = (events, ended) => {
          const fresh = events.filter((e) => e.id > cursor);
          if (fresh.length > 0) cursor = fresh.at(-1).id;
          if (fresh.length > 0 || ended) listener(fresh, ended);
        };
        tail.listeners.add(filtered);
        return () => {
          tail.listeners.delete(filtered);
          if (tail.listeners.size === 0) this.drop(runId, tail);
        };
      }
      /** Tails being read now (for tests and /metrics). */
      get watchedRuns() {
        return this.tails.size;
      }
      close() {
        for (const [runId, tail] of this.tails) this.drop(runId, tail);
      }
      drop(runId, tail) {
        clearTimeout(tail.timer);
        if (this.tails.get(runId) === tail) this.tails.delete(runId);
      }
      schedule(runId, tail) {
        tail.timer = setTimeout(() => void this.poll(runId, tail), this.intervalMs);
        tail.timer.unref();
      }
      async poll(runId, tail) {
        if (this.tails.get(runId) !== tail) return;
        try {
          for (; ; ) {
            const events = await this.instance.listEvents(runId, { afterId: tail.cursor, limit: PAGE });
            if (events.length === 0) break;
            tail.cursor = events.at(-1).id;
            tail.ended = events.some((e) => ENDS2.has(e.type));
            for (const l of [...tail.listeners]) l(events, tail.ended);
            if (tail.ended || events.length < PAGE) break;
          }
        } catch {
        }
        if (tail.ended) {
          this.drop(runId, tail);
          return;
        }
        if (this.tails.get(runId) === tail) this.schedule(runId, tail);
      }
    };
  }
});

// src/web/run-list-hub.ts
var RunListHub;
var init_run_list_hub = __esm({
  "src/web/run-list-hub.ts"() {
    "use strict";
    init_run_summary();
    RunListHub = class {
      constructor(instance, intervalMs = 1e3, window = 100) {
        this.instance = instance;
        this.intervalMs = intervalMs;
        this.window = window;
      }
      instance;
      intervalMs;
      window;
      listeners = /* @__PURE__ */ new Set();
      seen = /* @__PURE__ */ new Map();
      timer;
      /** Whether `seen` holds a first reading (changes are reported from the second on). */
      primed = false;
      subscribe(listener) {
        this.listeners.add(listener);
        if (!this.timer) this.schedule();
        return () => {
          this.listeners.delete(listener);
          if (this.listeners.size === 0) {
            clearTimeout(this.timer);
            this.timer = void 0;
            this.seen.clear();
            this.primed = false;
          }
        };
      }
      close() {
        this.listeners.clear();
        clearTimeout(this.timer);
        this.timer = void 0;
      }
      schedule() {
        this.timer = setTimeout(() => void this.poll(), this.primed ? this.intervalMs : 0);
        this.timer.unref();
      }
      async poll() {
        try {
          const runs = (await this.instance.listRuns({ limit: this.window })).map(runHeader);
          const changed = runs.filter((run2) => {
            const sig = `${run2.status}|${run2.endedAt}|${run2.queueReason}`;
            const before = this.seen.get(run2.runId);
            this.seen.set(run2.runId, sig);
            return before !== sig;
          });
          if (this.primed && changed.length > 0) for (const l of [...this.listeners]) l(changed);
          this.primed = true;
        } catch {
        }
        if (this.listeners.size > 0) this.schedule();
      }
    };
  }
});

// src/web/sse.ts
function openSse(req, res) {
  res.writeHead(200, { ...BASE_HEADERS, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
  res.write("retry: 2000\n\n");
  const listeners = [];
  let closed = false;
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15e3);
  keepAlive.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    res.end();
    for (const l of listeners) l();
  };
  req.on("close", close);
  return {
    send(event, data, id) {
      if (closed) return;
      res.write(`${id !== void 0 ? `id: ${id}
` : ""}event: ${event}
data: ${JSON.stringify(data)}

`);
    },
    close,
    get closed() {
      return closed;
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    }
  };
}
var init_sse = __esm({
  "src/web/sse.ts"() {
    "use strict";
    init_http_util();
  }
});

// src/web/static-files.ts
import { readdirSync as readdirSync2, readFileSync as readFileSync5 } from "node:fs";
import { extname, join as join6 } from "node:path";
import { fileURLToPath } from "node:url";
function loadStaticFiles(dir = fileURLToPath(new URL("./static/", import.meta.url))) {
  const files = /* @__PURE__ */ new Map();
  const walk2 = (sub) => {
    for (const entry of readdirSync2(join6(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk2(rel);
      else if (TYPES[extname(entry.name)]) files.set(`/${rel}`, { body: readFileSync5(join6(dir, rel)), type: TYPES[extname(entry.name)] });
    }
  };
  walk2("");
  return files;
}
var TYPES;
var init_static_files = __esm({
  "src/web/static-files.ts"() {
    "use strict";
    TYPES = {
      ".html": "text/html; charset=utf-8",
      ".js": "text/javascript; charset=utf-8",
      ".css": "text/css; charset=utf-8",
      ".svg": "image/svg+xml",
      ".png": "image/png"
    };
  }
});

// src/web/web-server.ts
import { createServer as createServer2 } from "node:http";
function sendText(res, status, type, body, extra = {}) {
  res.writeHead(status, { ...BASE_HEADERS, "content-type": type, "content-length": Buffer.byteLength(body), ...extra });
  res.end(body);
}
async function startWebServer(options) {
  const { binding } = options;
  const token = binding.token;
  const deps = { ...options.api, token };
  const { route } = apiRoutes(deps);
  const files = loadStaticFiles();
  const runEvents = new RunEventHub(deps.instance);
  const runList = new RunListHub(deps.instance);
  const metrics = new SluiceMetrics({ ...options.metrics, instance: deps.instance, ...deps.schedules ? { schedules: deps.schedules } : {} });
  const onError = (error, context) => options.onError?.(error, context);
  const handle = async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (binding.loopback && !isLoopbackHost(hostOf(req))) {
      return sendJson(res, 403, { error: { code: "FORBIDDEN_HOST", message: "this dashboard listens on loopback and answers only to localhost host names" } });
    }
    if (path === "/healthz" && method === "GET") return sendJson(res, 200, { ok: true });
    if (path === "/favicon.ico") return sendText(res, 204, "image/x-icon", "");
    if (path.startsWith("/static/") && method === "GET") {
      const file = files.get(path.slice("/static".length));
      if (!file) return sendJson(res, 404, { error: { code: "NOT_FOUND", message: `no file ${path}` } });
      return sendText(res, 200, file.type, file.body, { "cache-control": "no-cache" });
    }
    const bearer = token !== void 0 && bearerMatches(req, token);
    if (path === "/login" && token !== void 0) return login(req, res, url, token);
    if (path === "/logout" && method === "POST") {
      if (crossSiteReason(req, { requireCustomHeader: false })) return sendJson(res, 403, { error: { code: "CSRF", message: "cross-site request refused" } });
      return sendText(res, 303, "text/plain", "", { location: token ? "/login" : "/", "set-cookie": clearedSessionCookie() });
    }
    const authenticated = token === void 0 || bearer || sessionValid(req, token, Date.now());
    if (!authenticated) {
      if (path.startsWith("/api/") || path === "/metrics" || path.startsWith(`${BOARD_PATH}/api`) || req.headers.accept?.includes("application/json")) {
        return sendJson(res, 401, { error: { code: "UNAUTHORIZED", message: "missing or wrong bearer token; send Authorization: Bearer <SLUICE_WEB_TOKEN> or log in at /login" } });
      }
      return sendText(res, 303, "text/plain", "", { location: `/login?next=${encodeURIComponent(path + url.search)}` });
    }
    if (!SAFE_METHODS.has(method) && !bearer) {
      const reason = crossSiteReason(req, { requireCustomHeader: path.startsWith("/api/") });
      if (reason) return sendJson(res, 403, { error: { code: "CSRF", message: `cross-site request refused: ${reason}` } });
    }
    if (path === "/api/session" && method === "GET") return sendJson(res, 200, { authRequired: token !== void 0, queues: options.queueBoard !== void 0 });
    if (path === "/metrics" && method === "GET") {
      return sendText(res, 200, metrics.contentType, await metrics.text(), { "cache-control": "no-store" });
    }
    if (path === BOARD_PATH || path.startsWith(`${BOARD_PATH}/`)) {
      if (!options.queueBoard) return sendJson(res, 404, { error: { code: "NO_QUEUES", message: "bull-board is served only when a BullMQ executor is configured (SLUICE_REDIS_URL)" } });
      res.setHeader("content-security-policy", BOARD_CSP);
      for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
      return options.queueBoard(req, res);
    }
    if (method === "GET" && path === "/api/runs/stream") return streamRuns(req, res);
    const stream = /^\/api\/runs\/([^/]+)\/stream$/.exec(path);
    if (method === "GET" && stream) return streamRun(req, res, url, decodeURIComponent(stream[1]));
    if (path.startsWith("/api/")) return answer(route, req, res, url, (error) => onError(error, `${method} ${path}`));
    if (method === "GET" && (path === "/" || path === "/index.html")) {
      return sendText(res, 200, "text/html; charset=utf-8", files.get("/index.html").body, { "content-security-policy": CSP, "cache-control": "no-cache" });
    }
    return sendJson(res, 404, { error: { code: "NOT_FOUND", message: `no route ${method} ${path}` } });
  };
  const login = async (req, res, url, secret) => {
    const page = (status, next2, error) => sendText(res, status, "text/html; charset=utf-8", loginPage(next2, error), { "content-security-policy": CSP, "cache-control": "no-store" });
    if (req.method === "GET") return page(200, safeNext(url.searchParams.get("next")));
    if (req.method !== "POST") return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "use GET or POST /login" } });
    const reason = crossSiteReason(req, { requireCustomHeader: false });
    if (reason) return sendJson(res, 403, { error: { code: "CSRF", message: `cross-site request refused: ${reason}` } });
    const form = await readForm(req);
    const next = safeNext(form.get("next"));
    if (!tokenMatches(form.get("token") ?? "", secret)) {
      await new Promise((r) => setTimeout(r, 300));
      return page(401, next, "Wrong token.");
    }
    return sendText(res, 303, "text/plain", "", { location: next, "set-cookie": sessionCookie(secret, Date.now()) });
  };
  const streamRun = async (req, res, url, runId) => {
    if (!await deps.instance.getRun(runId)) return sendJson(res, ...errorResponse(new HttpError(404, "UNKNOWN_RUN", `no run "${runId}"`)));
    const lastId = Number(req.headers["last-event-id"]);
    const after = Number.isInteger(lastId) && lastId > 0 ? lastId : queryInt(url, "after", 0, Number.MAX_SAFE_INTEGER);
    const sse = openSse(req, res);
    const unsubscribe = await runEvents.subscribe(runId, after, (events, ended) => {
      if (events.length > 0) sse.send("events", events.map((e) => ({ ...e, at: e.at.toISOString() })), events.at(-1).id);
      if (ended) {
        sse.send("end", { runId });
        sse.close();
      }
    });
    sse.onClose(unsubscribe);
  };
  const streamRuns = (req, res) => {
    const sse = openSse(req, res);
    const unsubscribe = runList.subscribe((runs) => sse.send("runs", runs));
    sse.onClose(unsubscribe);
  };
  const server = createServer2((req, res) => {
    handle(req, res).catch((error) => {
      onError(error, `${req.method} ${req.url}`);
      if (!res.headersSent) sendJson(res, ...errorResponse(error));
      else res.end();
    });
  });
  await listen(server, binding.host, binding.port);
  return {
    server,
    url: urlOf(server, binding.host),
    async close() {
      runEvents.close();
      runList.close();
      server.closeAllConnections();
      await new Promise((resolve6) => server.close(() => resolve6()));
    }
  };
}
var CSP, BOARD_CSP, SAFE_METHODS;
var init_web_server = __esm({
  "src/web/web-server.ts"() {
    "use strict";
    init_api_routes();
    init_api_server();
    init_auth();
    init_http_util();
    init_login_page();
    init_metrics();
    init_board_path();
    init_run_event_hub();
    init_run_list_hub();
    init_sse();
    init_static_files();
    CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
    BOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'";
    SAFE_METHODS = /* @__PURE__ */ new Set(["GET", "HEAD", "OPTIONS"]);
  }
});

// src/web/queue-board.ts
var queue_board_exports = {};
__export(queue_board_exports, {
  queueBoard: () => queueBoard
});
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
function queueBoard(queues) {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: "Sluice queues" } } });
  const app = adapter.getRouter();
  return (req, res) => {
    req.url = req.url.slice(BOARD_PATH.length) || "/";
    app(req, res, (error) => {
      res.statusCode = error ? 500 : 404;
      res.end(error ? "queue board error" : "not found");
    });
  };
}
var init_queue_board = __esm({
  "src/web/queue-board.ts"() {
    "use strict";
    init_board_path();
  }
});

// src/cli/commands/web.ts
var web_exports = {};
__export(web_exports, {
  DEFAULT_WEB_HOST: () => DEFAULT_WEB_HOST,
  DEFAULT_WEB_PORT: () => DEFAULT_WEB_PORT,
  serveDashboard: () => serveDashboard,
  web: () => web,
  webBindingFor: () => webBindingFor
});
function webBindingFor(opts, env = process.env) {
  return resolveWebBinding({ host: opts.webHost, port: opts.webPort, token: env.SLUICE_WEB_TOKEN });
}
async function serveDashboard(args) {
  const { runtime, binding, redis } = args;
  const board = redis ? boardQueues(runtime.settings, redis) : void 0;
  try {
    const queueBoard2 = board ? (await Promise.resolve().then(() => (init_queue_board(), queue_board_exports))).queueBoard : void 0;
    const server = await startWebServer({
      api: { instance: runtime.instance, graph: runtime.project.graph, launcher: args.launcher, onQueued: args.onQueued, schedules: runtime.project.schedules },
      binding,
      metrics: { heartbeatTimeoutMs: runtime.settings.workerTimeoutMs, ...args.stepQueueDepth ? { stepQueueDepth: args.stepQueueDepth } : {} },
      ...board && queueBoard2 ? { queueBoard: queueBoard2(board.queues) } : {},
      onError: (error, context) => runtime.logger.error({ err: error, context }, "dashboard request failed")
    });
    return {
      ...server,
      async close() {
        await server.close();
        await board?.close();
      }
    };
  } catch (error) {
    await board?.close();
    const code = error.code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      throw new SluiceError(
        "WEB_LISTEN_FAILED",
        `the dashboard cannot listen on ${binding.host}:${binding.port} (${code}); pick another --web-port or --web-host`,
        { host: binding.host, port: binding.port, code }
      );
    }
    throw error;
  }
}
async function web(cmd, opts) {
  const settings = settingsFor(cmd);
  const binding = webBindingFor(opts);
  const runtime = await openRuntime(settings);
  let redis;
  let server;
  try {
    let launcher;
    let stepQueueDepth;
    if (settings.redisUrl) {
      const connected = await connectRedis(settings.redisUrl);
      redis = connected;
      const bull = bullmqLauncher(settings, runtime.instance, runtime.project.graph, connected);
      launcher = bull;
      stepQueueDepth = () => bull.queue.depth();
    } else {
      launcher = new InProcessLauncher(runtime.stepHost());
    }
    const onQueued = (runId) => {
      if (redis) announceQueuedRun(redis, settings.redisPrefix, runId).catch(() => {
      });
    };
    server = await serveDashboard({ runtime, binding, launcher, onQueued, redis, ...stepQueueDepth ? { stepQueueDepth } : {} });
    process.stderr.write(
      `sluice web: dashboard at ${server.url}${binding.token ? " (SLUICE_WEB_TOKEN required)" : ""}${redis ? "" : "; runs it launches wait for a daemon"}
`
    );
    const signal = await untilSignal();
    process.stderr.write(`sluice web: ${signal}, stopping
`);
    await launcher.close();
  } finally {
    await server?.close();
    await runtime.close();
    redis?.disconnect();
  }
  return EXIT.ok;
}
var DEFAULT_WEB_HOST, DEFAULT_WEB_PORT;
var init_web = __esm({
  "src/cli/commands/web.ts"() {
    "use strict";
    init_errors();
    init_run_wakeup();
    init_in_process_launcher();
    init_board_queues();
    init_distributed();
    init_runtime();
    init_web_binding();
    init_web_server();
    init_cli_context();
    init_until_signal();
    DEFAULT_WEB_HOST = "127.0.0.1";
    DEFAULT_WEB_PORT = "3000";
  }
});

// src/cli/commands/daemon.ts
var daemon_exports = {};
__export(daemon_exports, {
  daemon: () => daemon,
  daemonStatus: () => daemonStatus
});
async function daemon(cmd, opts) {
  const settings = settingsFor(cmd);
  const concurrency = parsePositiveInt(opts.concurrency, "--concurrency");
  const binding = opts.web === false ? void 0 : resolveWebBinding({ host: opts.webHost, port: opts.webPort, token: process.env.SLUICE_WEB_TOKEN });
  const dashboardModule = binding ? Promise.resolve().then(() => (init_web(), web_exports)) : void 0;
  dashboardModule?.catch(() => {
  });
  const url = settings.redisUrl ? requireRedisUrl(settings, "sluice daemon") : void 0;
  const runtime = await openRuntime(settings);
  let redis;
  let subscriber;
  let launcher;
  if (url) {
    redis = await connectRedis(url);
    const bull = bullmqLauncher(settings, runtime.instance, runtime.project.graph, redis);
    await bull.queue.applyPoolLimits();
    launcher = bull;
  } else {
    launcher = new InProcessLauncher(
      runtime.stepHost({ logDestination: process.stderr }),
      { concurrency },
      (runId, error) => runtime.logger.error({ runId, err: error }, "run execution failed")
    );
  }
  let api;
  let dashboard;
  const d = new Daemon(runtime.instance, launcher, {
    limits: settings.limits,
    workerTimeoutMs: settings.workerTimeoutMs,
    monitorIntervalMs: settings.monitorIntervalMs,
    scheduler: {
      graph: runtime.project.graph,
      schedules: runtime.project.schedules,
      // Another daemon may hold the run-queue lease: tell every daemon about the new run.
      onLaunched: (runId) => {
        if (redis) announceQueuedRun(redis, settings.redisPrefix, runId).catch(() => {
        });
      },
      onDecision: (decision) => {
        const fields = { schedule: decision.schedule, scheduledFor: decision.scheduledFor.toISOString(), runId: decision.runId, reason: decision.reason, error: decision.error };
        if (decision.status === "FAILURE") runtime.logger.error(fields, "schedule tick failed");
        else runtime.logger.info(fields, decision.status === "SUCCESS" ? "schedule tick launched a run" : "schedule tick skipped");
      }
    }
  });
  try {
    await d.start();
    if (redis) subscriber = await onQueuedRun(redis, settings.redisPrefix, () => d.wake());
    else {
      const token = newApiToken();
      const { server, url: apiUrl } = await startApiServer(
        { instance: runtime.instance, graph: runtime.project.graph, launcher, onQueued: () => d.wake(), token },
        "127.0.0.1",
        0
      );
      api = { server, removeAddress: writeDaemonAddress(settings.projectDir, { pid: process.pid, url: apiUrl, token }) };
    }
    if (binding) {
      try {
        dashboard = await (await dashboardModule).serveDashboard({
          runtime,
          binding,
          launcher,
          onQueued: () => d.wake(),
          redis,
          ...launcher.kind === "bullmq" ? { stepQueueDepth: () => launcher.queue.depth() } : {}
        });
        process.stderr.write(`sluice daemon: dashboard at ${dashboard.url}${binding.token ? " (SLUICE_WEB_TOKEN required)" : ""}
`);
      } catch (error) {
        if (cmd.getOptionValueSource("webPort") !== "default" || error.code !== "WEB_LISTEN_FAILED") throw error;
        process.stderr.write(`sluice daemon: warning: ${error.message}; running without the dashboard
`);
      }
    }
    const scheduleCount = runtime.project.schedules.length;
    process.stderr.write(
      `sluice daemon ${d.heartbeat.id} ready: executor ${launcher.kind}, project ${runtime.project.dir}, ${scheduleCount} schedule${scheduleCount === 1 ? "" : "s"}
`
    );
    const signal = await untilSignal();
    process.stderr.write(`sluice daemon: ${signal}, stopping
`);
  } finally {
    await dashboard?.close();
    api?.removeAddress();
    api?.server.close();
    subscriber?.disconnect();
    await d.stop();
    await runtime.close();
    redis?.disconnect();
  }
  return EXIT.ok;
}
async function daemonStatus(cmd, opts) {
  const settings = settingsFor(cmd);
  const opened = await openRunService(settings);
  try {
    const now = Date.now();
    const beats = (await opened.service.heartbeats()).map((b) => {
      const ageMs = now - Date.parse(b.lastSeen);
      return { ...b, ageMs, alive: ageMs <= settings.workerTimeoutMs };
    });
    if (opts.json) printJson(beats);
    else if (beats.length === 0) process.stdout.write("no daemon or worker has reported a heartbeat\n");
    else {
      const rows = beats.map((b) => [b.kind, b.id, b.alive ? "alive" : "stale", `${duration(b.ageMs)} ago`, JSON.stringify(b.info)]);
      process.stdout.write(`${table(["KIND", "ID", "STATE", "LAST SEEN", "INFO"], rows)}
`);
    }
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}
var init_daemon2 = __esm({
  "src/cli/commands/daemon.ts"() {
    "use strict";
    init_daemon();
    init_run_wakeup();
    init_in_process_launcher();
    init_distributed();
    init_embedded_daemon();
    init_open_run_service();
    init_runtime();
    init_api_server();
    init_web_binding();
    init_cli_context();
    init_format();
    init_until_signal();
  }
});

// src/cli/main.ts
init_cli_context();
import { readFileSync as readFileSync6 } from "node:fs";
import { Command, CommanderError } from "commander";

// src/cli/output/flush-stdio.ts
async function flushStdio() {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve6) => {
    if (stream.destroyed || !stream.writable) return resolve6();
    stream.write("", () => resolve6());
  })));
}

// src/cli/main.ts
var pkg = JSON.parse(readFileSync6(new URL("../../package.json", import.meta.url), "utf8"));
function run(action) {
  return action().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.exitCode = reportError(error);
    }
  );
}
function buildProgram() {
  const program = new Command("sluice").description("Sluice: a TypeScript asset orchestrator. Declares assets in assets/, schedules in schedules/, materializes and records them.").version(pkg.version, "-V", "output the version number (also: sluice --version)").option("--project <dir>", "project folder (default: $SLUICE_PROJECT or the current folder)").showSuggestionAfterError().exitOverride().configureOutput({ outputError: (text, write) => write(text.startsWith("error:") ? text : `error: ${text}`) });
  const assets = program.command("assets").description("inspect asset definitions").exitOverride();
  assets.command("list").description("list assets, optionally filtered by a selection").option("--select <expr>", "asset selection (see README: selection syntax)").option("--status", "add each asset's status (fresh, stale, failed, missing) and partition counts from the store").option("--json", "print JSON: [{ key, group, kinds, tags, owners, deps, status, statusReason, partitions }] sorted by key").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_assets_list(), assets_list_exports))).assetsList(cmd, opts)));
  assets.command("partitions").description("every partition of a partitioned asset up to now, newest first: materialized, failed, missing or running, stale ones marked, with its last run").argument("<key>").option("--json", "print JSON").exitOverride().action((key, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_assets_partitions(), assets_partitions_exports))).assetsPartitions(cmd, key, opts)));
  assets.command("show").description("an asset's definition and history: materializations and check results, newest first").argument("<key>").option("--limit <n>", "at most this many materializations and check results", "20").option("--json", "print JSON").exitOverride().action((key, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_assets_show(), assets_show_exports))).assetsShow(cmd, key, opts)));
  const checks = program.command("checks").description("inspect asset checks").exitOverride();
  checks.command("list").description("each check of the selected assets: severity, blocking, description, latest result (passed/failed, when, run)").option("--select <expr>", "asset selection; selecting an asset selects its checks").option("--json", "print JSON: [{ asset, name, severity, blocking, gating, description, latest }]").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_checks(), checks_exports))).checksList(cmd, opts)));
  program.command("materialize").description("launch a run of the selected assets and follow it until it ends (exit 0 success, 1 failed, 2 bad input, 130 canceled)").requiredOption("--select <expr>", 'asset selection, e.g. "*", "+key:promote_dev_to_main", "group:dbt"').option("--config <file>", 'run config JSON: { "<asset key>": { ...config } }').option("--config-name <name[@version]>", "a stored run config (sluice configs set), its latest version unless @VERSION; not with --config").option("--tag <key=value>", "run tag (repeatable)", collectTag).option("--concurrency <n>", "steps running at once", "4").option("--json", "print the final run summary as JSON").option("-v, --verbose", "also print step log lines (JSON) on stderr").option("--detach", "with SLUICE_REDIS_URL: print the run id and return without following the run").option("--in-process", "execute in this process even when SLUICE_REDIS_URL is set").option("--allow-failed-checks", "launch even when a blocking check upstream of the selection (outside it) failed in its latest evaluation").option("--partition <key>", "the partition of the selection's partitioned assets, e.g. 2024-10-01").option("--partition-range <from...to>", "a range of partitions in one run, e.g. 2024-10-01...2024-10-07; not with --partition").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_materialize(), materialize_exports))).materialize(cmd, opts)));
  const backfill2 = program.command("backfill").description(
    "materialize a range of partitions as runs split by --policy (with SLUICE_REDIS_URL or a running embedded daemon: executed by the daemon; else in this process). Exit 0 when every run succeeded, 1 otherwise"
  ).option("--select <expr>", "asset selection; every selected asset must be partitioned (required)").option("--from <key>", "first partition key of the range (required)").option("--to <key>", "last partition key of the range, inclusive (required)").option("--policy <policy>", "per-partition (one run each), single-run (one run for the range) or chunks:N (runs of N partitions)", "per-partition").option("--max-concurrent-runs <n>", "at most this many of the backfill's runs at once (in this process: default 1)").option("--only-failed", "only the partitions of the range whose latest outcome failed").option("--only-missing", "only the partitions of the range never materialized (with --only-failed: either)").option("--config-name <name[@version]>", "a stored run config (sluice configs set), its latest version unless @VERSION; not with --config").option("--tag <key=value>", "tag of every run (repeatable)", collectTag).option("--config <file>", 'run config JSON: { "<asset key>": { ...config } }').option("--allow-failed-checks", "launch even when a blocking check upstream of the selection (outside it) failed in its latest evaluation").option("--detach", "return right after the launch").option("--json", "print JSON (the final backfill, or with --detach the launch)").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_backfill(), backfill_exports))).backfill(cmd, opts)));
  backfill2.command("list").description("backfills, newest first, with their progress").option("--status <statuses>", "only these statuses (comma-separated: RUNNING, COMPLETED, FAILED, CANCELING, CANCELED)").option("--limit <n>", "at most this many backfills", "50").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_backfills2(), backfills_exports))).backfillList(cmd, opts)));
  backfill2.command("show").description("a backfill: status, selection, range, policy, counts, and each partition with its state and run").argument("<id>").exitOverride().action((id, _opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_backfills2(), backfills_exports))).backfillShow(cmd, id)));
  backfill2.command("cancel").description("cancel a backfill: its queued runs never start, its running runs are canceled like `sluice runs cancel`").argument("<id>").exitOverride().action((id, _opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_backfills2(), backfills_exports))).backfillCancel(cmd, id)));
  const runs = program.command("runs").description("inspect runs").exitOverride();
  runs.command("list").description("list runs, newest first").option("--status <statuses>", "only these statuses (comma-separated)").option("--tag <key=value>", "only runs with this tag (repeatable; all must match)", collectTag).option("--since <when>", "only runs created since: an ISO-8601 instant, or an age like 30m, 24h, 7d").option("--limit <n>", "at most this many runs", "50").option("--json", "print JSON").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_runs(), runs_exports))).runsList(cmd, opts)));
  runs.command("show").description("a run with its steps, attempts, durations, materializations and check results").argument("<runId>").option("--json", "print JSON").exitOverride().action((runId, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_runs(), runs_exports))).runsShow(cmd, runId, opts)));
  runs.command("logs").description("a run's event log: step transitions, log lines, materializations, check results").argument("<runId>").option("--json", "print JSON").exitOverride().action((runId, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_runs(), runs_exports))).runsLogs(cmd, runId, opts)));
  runs.command("cancel").description("cancel a queued or running run: running steps see ctx.signal aborted, queued steps are dropped").argument("<runId>").option("--json", "print JSON").exitOverride().action((runId, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_runs(), runs_exports))).runsCancel(cmd, runId, opts)));
  program.command("worker").description("execute steps from BullMQ (needs SLUICE_REDIS_URL and SLUICE_DATABASE_URL) until SIGTERM/SIGINT").option("--concurrency <n>", "steps running at once in this process", "4").option("--grace-ms <ms>", "on SIGTERM/SIGINT, how long running steps may take to finish before they are aborted", "30000").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_worker(), worker_exports))).worker(cmd, opts)));
  const configs = program.command("configs").description("store and inspect named, versioned run configs (secrets only as env references)").exitOverride();
  configs.command("set").description("validate FILE.json against the project and store it as the next version of NAME").argument("<name>").argument("<file>").option("--json", "print the stored record (without the body) as JSON").exitOverride().action((name, file, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_configs(), configs_exports))).configsSet(cmd, name, file, opts)));
  configs.command("show").description("the body of a stored config version, its version and creation time: NAME for the latest, NAME@VERSION or --version N for another").argument("<name[@version]>").option("--version <n>", "the version to show (default: the latest)").option("--json", "print JSON").exitOverride().action((name, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_configs(), configs_exports))).configsShow(cmd, name, opts)));
  configs.command("list").description("each stored config name with its latest version").option("--json", "print JSON").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_configs(), configs_exports))).configsList(cmd, opts)));
  const schedules = program.command("schedules").description("inspect, preview, start and stop schedules (defined under schedules/)").exitOverride();
  schedules.command("list").description("each schedule: cron, time zone, status, next tick, last tick and its run").option("--json", "print JSON").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_schedules(), schedules_exports))).schedulesList(cmd, opts)));
  schedules.command("preview").description("the next tick instants, ISO-8601 with the schedule's UTC offset").argument("<name>").option("--count <n>", "how many ticks", "5").option("--from <iso>", "ticks after this instant (default: now)").option("--json", "print a JSON array of ISO-8601 strings").exitOverride().action((name, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_schedules(), schedules_exports))).schedulesPreview(cmd, name, opts)));
  schedules.command("start").description("set the schedule RUNNING (persisted); a running daemon launches its ticks from now on, never earlier ones").argument("<name>").option("--json", "print the stored state as JSON").exitOverride().action((name, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_schedules(), schedules_exports))).schedulesSetStatus(cmd, name, "RUNNING", opts)));
  schedules.command("stop").description("set the schedule STOPPED (persisted)").argument("<name>").option("--json", "print the stored state as JSON").exitOverride().action((name, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_schedules(), schedules_exports))).schedulesSetStatus(cmd, name, "STOPPED", opts)));
  schedules.command("ticks").description("the schedule's tick history, latest first: STARTED, SUCCESS with the run, SKIPPED with the reason, FAILURE with the error").argument("<name>").option("--limit <n>", "at most this many ticks", "50").option("--json", "print JSON").exitOverride().action((name, opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_schedules(), schedules_exports))).schedulesTicks(cmd, name, opts)));
  const daemon2 = program.command("daemon").description("run the scheduler, the run queue, the run monitor and heartbeats (with SLUICE_REDIS_URL: for BullMQ workers; else executing runs itself)").option("--concurrency <n>", "embedded mode: steps running at once per run", "4").option("--web-host <host>", "where the dashboard listens; any non-loopback address requires SLUICE_WEB_TOKEN", "127.0.0.1").option("--web-port <port>", "dashboard port (0 = any free port; when the default is taken the daemon runs without a dashboard)", "3000").option("--no-web", "do not serve the dashboard").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_daemon2(), daemon_exports))).daemon(cmd, opts)));
  daemon2.command("status").description("heartbeats of daemons and workers").option("--json", "print JSON").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_daemon2(), daemon_exports))).daemonStatus(cmd, opts)));
  program.command("web").description("serve the dashboard alone (pages, JSON API, /metrics, /queues with Redis) on the project's store until SIGTERM/SIGINT").option("--web-host <host>", "where to listen; any non-loopback address requires SLUICE_WEB_TOKEN", "127.0.0.1").option("--web-port <port>", "port (0 = any free port)", "3000").exitOverride().action((opts, cmd) => run(async () => (await Promise.resolve().then(() => (init_web(), web_exports))).web(cmd, opts)));
  return program;
}
async function main(argv) {
  if (argv.length === 3 && argv[2] === "--version") {
    process.stdout.write(`${pkg.version}
`);
    return;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
      return;
    }
    process.exitCode = reportError(error);
  }
}
await main(process.argv);
await flushStdio();
process.exit(process.exitCode ?? EXIT.ok);
export {
  buildProgram,
  main
};
