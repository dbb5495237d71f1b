// Simple markdown (bold, italics, lists, links, line breaks) turned into DOM nodes. Nothing
// is ever parsed as HTML: text goes in through text nodes, so neither the assistant's
// answers nor anything a customer typed can inject markup or script.

const SAFE_LINK = /^(https?:|mailto:|tel:)/i;
// **bold**, *italic* or _italic_, [text](url), bare http(s) URLs.
const INLINE = /\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

function link(doc, text, href) {
  if (!SAFE_LINK.test(href)) return doc.createTextNode(text);
  const a = doc.createElement("a");
  a.href = href;
  a.textContent = text;
  a.target = "_blank";
  a.rel = "noopener noreferrer nofollow";
  return a;
}

// A bare URL shown by its site, "help.example.com/…": a long one would wrap mid-word across
// the bubble. The link itself keeps the whole address.
function shortLink(url) {
  try {
    const parsed = new URL(url);
    const rest = parsed.pathname + parsed.search;
    return parsed.hostname.replace(/^www\./, "") + (rest.length > 1 ? "/…" : "");
  } catch (error) {
    return url;
  }
}

function inline(doc, text, parent) {
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) parent.append(doc.createTextNode(text.slice(last, m.index)));
    if (m[1] !== undefined) {
      const strong = doc.createElement("strong");
      inline(doc, m[1], strong);
      parent.append(strong);
    } else if (m[2] !== undefined || m[3] !== undefined) {
      const em = doc.createElement("em");
      inline(doc, m[2] ?? m[3], em);
      parent.append(em);
    } else if (m[4] !== undefined) {
      parent.append(link(doc, m[4], m[5]));
    } else {
      parent.append(link(doc, shortLink(m[6]), m[6]));
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) parent.append(doc.createTextNode(text.slice(last)));
}

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,2}[.)]\s+(.*)$/;

// Renders `text` into a DocumentFragment of paragraphs and lists.
export function renderMarkdown(doc, text) {
  const fragment = doc.createDocumentFragment();
  let list = null;
  let listKind = null;
  let paragraph = null;
  for (const line of String(text ?? "").split("\n")) {
    const bullet = line.match(BULLET);
    const numbered = bullet ? null : line.match(NUMBERED);
    if (bullet || numbered) {
      const kind = bullet ? "ul" : "ol";
      if (!list || listKind !== kind) {
        list = doc.createElement(kind);
        listKind = kind;
        fragment.append(list);
      }
      const item = doc.createElement("li");
      inline(doc, (bullet || numbered)[1], item);
      list.append(item);
      paragraph = null;
    } else if (line.trim() === "") {
      list = null;
      paragraph = null;
    } else {
      list = null;
      if (paragraph) {
        paragraph.append(doc.createElement("br"));
      } else {
        paragraph = doc.createElement("p");
        fragment.append(paragraph);
      }
      inline(doc, line, paragraph);
    }
  }
  return fragment;
}
