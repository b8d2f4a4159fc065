// markdown.js: a small Markdown renderer for model answers that is safe by construction.
// The whole source is HTML-escaped first; the parser then works on that escaped text and adds
// only the tags written in this file. Captured text is never unescaped, so whatever a model
// writes (<script>, onerror=, javascript: links) reaches the page as visible text.
//
// Supported: paragraphs (single newlines are line breaks), ATX headings, **bold**, *italic*,
// ~~strike~~, `inline code`, fenced code blocks (with a Copy button), bullet and numbered
// lists (nested by indentation), simple tables, horizontal rules, and links: [text](url) and
// bare URLs, for http and https only.

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const BULLET = /^(\s*)[-*+]\s+(.*)$/;
const NUMBERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
// \u0000 marks placeholders for finished inline HTML; it is removed from the source up front.
const PLACEHOLDER = /\u0000(\d+)\u0000/g;
const HAS_PLACEHOLDER = /\u0000\d+\u0000/;

/** Renders Markdown to an HTML string in which all source text is escaped. */
export function renderMarkdown(source) {
  const lines = escapeHtml(source.replace(/\u0000/g, '\uFFFD')).split(/\r\n|\r|\n/);
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
    } else if (FENCE.test(line)) {
      i = codeBlock(lines, i, out);
    } else if (HEADING.test(line)) {
      const [, hashes, text] = line.match(HEADING);
      out.push(`<h${hashes.length}>${inline(text)}</h${hashes.length}>`);
      i++;
    } else if (RULE.test(line)) {
      out.push('<hr>');
      i++;
    } else if (BULLET.test(line) || NUMBERED.test(line)) {
      i = list(lines, i, out);
    } else if (line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      i = table(lines, i, out);
    } else {
      i = paragraph(lines, i, out);
    }
  }
  return out.join('');
}

function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || BULLET.test(line) || NUMBERED.test(line);
}

function codeBlock(lines, start, out) {
  const [, fence, language] = lines[start].match(FENCE);
  const body = [];
  let i = start + 1;
  // An unclosed fence (an answer still streaming) runs to the end of the text.
  while (i < lines.length && !closesFence(lines[i], fence)) {
    body.push(lines[i]);
    i++;
  }
  const label = language ? `<span class="code-lang">${language}</span>` : '<span class="code-lang">code</span>';
  out.push(`<div class="code-block"><div class="code-head">${label}`
    + '<button type="button" class="copy-code" aria-label="Copy code">Copy</button></div>'
    + `<pre><code>${body.join('\n')}</code></pre></div>`);
  return i + 1;
}

function closesFence(line, fence) {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed === fence[0].repeat(trimmed.length);
}

function paragraph(lines, start, out) {
  const parts = [];
  let i = start;
  while (i < lines.length && lines[i].trim() !== '' && (i === start || !startsBlock(lines[i]))) {
    parts.push(inline(lines[i].trim()));
    i++;
  }
  out.push(`<p>${parts.join('<br>')}</p>`);
  return i;
}

/** Lists nest by indentation; each open list remembers its indent and tag. */
function list(lines, start, out) {
  const open = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i];
    const bullet = line.match(BULLET);
    const numbered = bullet ? null : line.match(NUMBERED);
    if (!bullet && !numbered) {
      if (line.trim() === '') {
        let next = i + 1;
        while (next < lines.length && lines[next].trim() === '') {
          next++;
        }
        if (next < lines.length && (BULLET.test(lines[next]) || NUMBERED.test(lines[next]))) {
          i++;
          continue;
        }
        break;
      }
      if (/^\s+/.test(line) && !startsBlock(line)) {
        out.push(` ${inline(line.trim())}`); // a continuation line of the current item
        i++;
        continue;
      }
      break;
    }
    const indent = (bullet || numbered)[1].replace(/\t/g, '    ').length;
    const tag = bullet ? 'ul' : 'ol';
    const text = bullet ? bullet[2] : numbered[3];
    while (open.length > 0 && indent < open[open.length - 1].indent) {
      out.push(`</li></${open.pop().tag}>`);
    }
    const top = open[open.length - 1];
    if (top && indent === top.indent && top.tag !== tag) {
      out.push(`</li></${open.pop().tag}>`);
    }
    const current = open[open.length - 1];
    if (!current || indent > current.indent) {
      const startAttribute = numbered && numbered[2] !== '1' ? ` start="${Number(numbered[2])}"` : '';
      out.push(`<${tag}${startAttribute}><li>`);
      open.push({ tag, indent });
    } else {
      out.push('</li><li>');
    }
    out.push(inline(text));
    i++;
  }
  while (open.length > 0) {
    out.push(`</li></${open.pop().tag}>`);
  }
  return i;
}

function table(lines, start, out) {
  const cells = (line) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => inline(cell.trim()));
  const head = cells(lines[start]);
  const rows = [];
  let i = start + 2;
  while (i < lines.length && lines[i].includes('|') && lines[i].trim() !== '') {
    rows.push(cells(lines[i]));
    i++;
  }
  const headHtml = head.map((cell) => `<th>${cell}</th>`).join('');
  const bodyHtml = rows.map((row) => `<tr>${head.map((_, c) => `<td>${row[c] ?? ''}</td>`).join('')}</tr>`).join('');
  out.push(`<div class="table-wrap"><table><thead><tr>${headHtml}</tr></thead><tbody>${bodyHtml}</tbody></table></div>`);
  return i;
}

/**
 * Inline markup on escaped text. Code spans and links become placeholders first so that
 * emphasis never reaches inside code or a URL.
 */
function inline(text) {
  const held = [];
  const hold = (html) => `\u0000${held.push(html) - 1}\u0000`;
  let html = text
    .replace(/`([^`]+)`/g, (_, code) => hold(`<code>${code}</code>`))
    .replace(/\[([^\]]+)\]\(\s*(\S+?)\s*\)/g, (whole, label, url) =>
      isWebUrl(url) ? hold(link(url, emphasis(label))) : whole)
    .replace(/\bhttps?:\/\/(?:(?!&(?:lt|gt|quot|#39);)[^\s\u0000])+/g, (url) => {
      const trimmed = url.replace(/[.,;:!?)\]*_~]+$/, '');
      return hold(link(trimmed, trimmed)) + url.slice(trimmed.length);
    });
  html = emphasis(html);
  // Placeholders can hold placeholders (a link whose label had code), so restore until none remain.
  while (HAS_PLACEHOLDER.test(html)) {
    html = html.replace(PLACEHOLDER, (_, index) => held[Number(index)]);
  }
  return html;
}

function emphasis(text) {
  return text
    .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w])__(?=\S)([^_]*?\S)__(?!\w)/g, '$1<strong>$2</strong>')
    .replace(/(^|[^*\w])\*(?=[^\s*])([^*]*?[^\s*])\*(?![*\w])/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=[^\s_])([^_]*?[^\s_])_(?!\w)/g, '$1<em>$2</em>')
    .replace(/~~(?=\S)([^~]*?\S)~~/g, '<del>$1</del>');
}

function isWebUrl(url) {
  return /^https?:\/\/[^\s]+$/i.test(url);
}

/** url is already escaped (no quote can end the attribute) and is http(s) by the callers' checks. */
function link(url, label) {
  return `<a href="${url}" target="_blank" rel="noopener noreferrer">${label}</a>`;
}
