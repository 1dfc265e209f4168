// TypeScript declarations for a shop's code that embeds the widget:
// types/aftersale.d.ts. The data the widget reads and sends (an order, a
// policy, a quote, the request payload) is written from the published JSON
// Schemas in schema/, which the engine's tests hold to what it reads, so the
// types cannot drift from the format; the JavaScript API and the events are
// written here, beside what the README says of them.
//
//   node scripts/types.mjs           writes types/aftersale.d.ts
//   node scripts/types.mjs --check   fails (and says so) if the file is not what it would write
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schema = (name) => JSON.parse(readFileSync(join(root, "schema", name), "utf8"));
const out = join(root, "types", "aftersale.d.ts");

const named = new Map(); // a type's name -> its declaration
const pascal = (s) => s.replace(/(^|_)([a-z])/g, (_, __, c) => c.toUpperCase());

/** A doc comment, indented. */
function doc(text, pad) {
  if (!text) return "";
  const lines = text.trim().split("\n");
  return lines.length === 1
    ? `${pad}/** ${lines[0]} */\n`
    : `${pad}/**\n${lines.map((l) => `${pad} * ${l}`.trimEnd()).join("\n")}\n${pad} */\n`;
}

/** The TypeScript type of a schema, within the document `defs` of `names`. */
function type(s, names, pad) {
  if (s === true || Object.keys(s).length === 0) return "unknown";
  if (s.$ref) {
    const def = s.$ref.replace("#/$defs/", "");
    return names[def] ?? pascal(def);
  }
  if ("const" in s) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = s.oneOf ?? s.anyOf;
  if (union) return [...new Set(union.map((m) => type(m, names, pad)))].join(" | ");
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return types.map((t) => {
    switch (t) {
      case "string": return "string";
      case "integer":
      case "number": return "number";
      case "boolean": return "boolean";
      case "null": return "null";
      case "array": {
        const item = type(s.items ?? {}, names, pad);
        return unionAtTop(item) ? `(${item})[]` : `${item}[]`;
      }
      case "object": return object(s, names, pad);
      default: throw new Error(`a schema the generator does not know: ${JSON.stringify(s).slice(0, 200)}`);
    }
  }).join(" | ");
}

/** Whether a type is a union outside any braces (`a | b`, not `{ a: b | c }`). */
function unionAtTop(t) {
  let depth = 0;
  for (const c of t) {
    if (c === "{" || c === "(") depth++;
    else if (c === "}" || c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}

/** An object's type: each property with its doc, `?` where it may be left out. */
function object(s, names, pad) {
  const props = Object.entries(s.properties ?? {});
  if (props.length === 0) return s.additionalProperties ? `Record<string, ${type(s.additionalProperties, names, pad)}>` : "Record<string, never>";
  const required = new Set(s.required ?? []);
  const inner = pad + "  ";
  const body = props.map(([name, p]) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
    return `${doc(p.description, inner)}${inner}${key}${required.has(name) ? "" : "?"}: ${type(p, names, inner)};`;
  });
  return `{\n${body.join("\n")}\n${pad}}`;
}

/** Declares a document's `$defs` (renamed by `names`) and the document as `as`. */
function declare(document, as, names = {}) {
  for (const [def, s] of Object.entries(document.$defs ?? {})) {
    const name = names[def] ?? pascal(def);
    const text = `${doc(s.description, "")}export type ${name} = ${type(s, names, "")};`;
    if (named.has(name) && named.get(name) !== text) {
      throw new Error(`two schemas declare ${name} differently:\n${named.get(name)}\n${text}`);
    }
    named.set(name, text);
  }
  const { $defs, $schema, $id, title, ...rest } = document;
  named.set(as, `${doc(document.description, "")}export type ${as} = ${type(rest, names, "")};`);
}

declare(schema("policy.schema.json"), "Policy");
declare(schema("page-data.schema.json"), "PageData");
// The payload's own small definitions are its: its `money` has no sign
// and its `reason` takes null, unlike the engine's Amount and Reason.
declare(schema("request-payload.schema.json"), "RequestPayload", {
  money: "Money", reason: "PayloadReason", request: "Request", quote: "Quote",
});

const api = `
/** The widget's JavaScript API: \`window.Aftersale\`, there once the module's \`init()\` has run. */
export interface AftersaleApi {
  /**
   * Mounts a widget in \`element\` (a shadow root of its own). A bad
   * configuration is shown in the element and sent as an \`aftersale:error\`
   * event, never thrown; an \`element\` that is no HTML element throws a
   * \`TypeError\`. Mounting on an element that has a widget replaces it.
   * The terms bundle (\`aftersale-terms.js\`, for product and cart pages)
   * mounts no order: it says so in the element and as \`aftersale:error\`.
   */
  mount(element: HTMLElement, options: MountOptions): WidgetHandle;
  /** Mounts the \`[data-aftersale]\` elements added since the page loaded. */
  mountAll(): void;
}

/** What \`Aftersale.mount\` takes: the data attributes' options as values. */
export interface MountOptions {
  /** A preset's name (\`"htvront"\`, \`"xtelary"\`), or a policy as a policy file holds it. */
  policy: string | Policy;
  /** The order, as the contract writes it. */
  order: Order;
  /** What the order may be exchanged for. */
  exchange_options?: ExchangeOption[];
  /** The order's requests the shop already has. */
  requests?: PastRequest[];
  /** Where a request is posted (http or https; relative to the page). */
  endpoint?: string | null;
  /** The customer's locale, a BCP 47 tag (\`"de-DE"\`); else the page's language, else the browser's. */
  locale?: string | null;
  /** A fixed start for the widget's clock (RFC 3339). */
  now?: string | null;
  /** The contact email filled in, for the customer to keep or change. */
  email?: string;
}

/** A mounted widget. */
export interface WidgetHandle {
  /** Shows another version of the order (it shipped); throws a message naming the field if it is invalid, or if the widget is unmounted. */
  update(order: Order): void;
  /** Removes the widget and stops its clock. */
  unmount(): void;
}

/** \`aftersale:submitted\`: the shop decided on the request. */
export type SubmittedDetail =
  | { status: "created"; request_id: string; rma: string | null; /** How many photos follow (then \`aftersale:photos\`). */ photos: number }
  | { status: "refused"; clause: string; explanation: string; /** With \`server.already_requested\`: the other open request in the way. */ conflict: string | null }
  | { status: "quote_changed" }
  | { status: "invalid"; message: string };

/** \`aftersale:photos\`: where the photos of the request shown ended. */
export type PhotosDetail =
  | { status: "sent"; request_id: string | null }
  | { status: "refused"; request_id: string | null; name: string; message: string }
  | { status: "lost"; request_id: string | null; count: number };

/** \`aftersale:error\`: the widget cannot start or its data breaks the contract; \`retrying\` while the shop does not answer a read. */
export interface ErrorDetail {
  message: string;
  retrying?: true;
}

/** The widget's events: bubbling and composed, so they reach the document and the window. */
export interface AftersaleEventMap {
  /** The engine's quote, each time it changes. */
  "aftersale:quote": CustomEvent<Quote>;
  "aftersale:submitted": CustomEvent<SubmittedDetail>;
  "aftersale:photos": CustomEvent<PhotosDetail>;
  "aftersale:error": CustomEvent<ErrorDetail>;
}

declare global {
  interface Window {
    Aftersale: AftersaleApi;
  }
  interface GlobalEventHandlersEventMap extends AftersaleEventMap {}
}
`;

const text = `// TypeScript declarations for the aftersale widget, for a shop's own code.
// Written by scripts/types.mjs from schema/*.schema.json and the widget's
// JavaScript API; do not edit by hand.
${api}
${[...named.values()].join("\n\n")}
`;

if (process.argv.includes("--check")) {
  let now = "";
  try { now = readFileSync(out, "utf8"); } catch { /* none yet */ }
  if (now !== text) {
    console.error("types: types/aftersale.d.ts is not what scripts/types.mjs writes from the schemas; run node scripts/types.mjs");
    console.log("types: 0 passed, 1 failed");
    process.exit(1);
  }
  console.log("types: types/aftersale.d.ts is written from the current schemas");
} else {
  writeFileSync(out, text);
  console.log(`types: wrote ${out}`);
}
