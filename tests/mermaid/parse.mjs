// Parse every ```mermaid block of the Markdown files named on the command line with Mermaid's
// own parser (in a jsdom window, as Mermaid expects a browser). Prints one JSON object per
// block ({file, line, type} or {file, line, error}); exits 1 when any block fails.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let failed = false;
for (const file of process.argv.slice(2)) {
  const lines = readFileSync(file, "utf8").split("\n");
  for (let start = 0; start < lines.length; start++) {
    if (lines[start].trim() !== "```mermaid") continue;
    const end = lines.findIndex((line, index) => index > start && line.trim() === "```");
    const text = lines.slice(start + 1, end).join("\n");
    try {
      const parsed = await mermaid.parse(text);
      console.log(JSON.stringify({ file, line: start + 1, type: parsed.diagramType }));
    } catch (error) {
      failed = true;
      const message = String(error?.message ?? error).split("\n").slice(0, 3).join(" ");
      console.log(JSON.stringify({ file, line: start + 1, error: message }));
    }
    start = end;
  }
}
process.exit(failed ? 1 : 0);
