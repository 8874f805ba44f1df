"""关怀模式 (issue 24) measured in the browser: what the mode promises, from computed styles,
for the site's tests (tests/site/test_site_care.py) and Datasette's
(tests/publish/test_browser_care.py)."""

from __future__ import annotations

# What the mode promises, measured from computed styles on the page as shown:
# - `text`: font size, line height and bottom margin of each visible paragraph (`paragraphs`);
# - `tiny`: visible elements with text of their own under 18 px (menus, tabs, notes too);
# - `low`: visible elements with text of their own whose contrast is under 7:1 (the text's
#   colour over the background found by walking up, semi-transparent layers composited);
# - `small`: visible links, buttons and controls (`targets`) under 44 px tall, except links
#   inside running text (an inline link whose block has other text too: WCAG 2.5.8 exempts
#   those);
# - `moving`: elements with a transition or animation; `cursor`, `scroll` of <html>;
# - `wide`: how far the page scrolls sideways.
MEASURE = """({ targets, paragraphs }) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const rgba = c => {
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = "#000"; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
  };
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4; });
    return .2126 * r + .7152 * g + .0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + .05) / (y + .05); };
  const visible = e => {
    const r = e.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && getComputedStyle(e).visibility === "visible" &&
      e.checkVisibility({ opacityProperty: true });
  };
  const name = e => e.tagName + "." + e.className + " " + e.textContent.trim().slice(0, 20);
  const low = [], tiny = [], moving = [];
  for (const el of document.body.querySelectorAll("*")) {
    const s = getComputedStyle(el);
    if (s.transitionDuration.split(",").some(d => parseFloat(d) > 0) || s.animationName !== "none") {
      moving.push(name(el));
    }
    if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    if (!visible(el)) continue;
    const bg = background(el);
    const r = ratio(over(rgba(s.color), bg), bg);
    if (r < 7) low.push([Math.round(r * 100) / 100, name(el)]);
    if (parseFloat(s.fontSize) < 18) tiny.push([s.fontSize, name(el)]);
  }
  const small = [];
  let exempt = 0;
  for (const el of document.querySelectorAll(targets)) {
    if (!visible(el)) continue;
    const h = el.getBoundingClientRect().height;
    if (h >= 44) continue;
    const block = el.closest("p, li, td, th, dd, dt, div, label, summary, h1, h2, h3, h4");
    const inline = el.tagName === "A" && getComputedStyle(el).display === "inline" && block &&
      block.textContent.trim().length > el.textContent.trim().length;
    if (inline) exempt += 1; else small.push([Math.round(h), name(el)]);
  }
  const text = Array.from(document.querySelectorAll(paragraphs)).filter(visible).map(p => {
    const s = getComputedStyle(p);
    return [parseFloat(s.fontSize), parseFloat(s.lineHeight), parseFloat(s.marginBottom)];
  });
  const root = getComputedStyle(document.documentElement);
  return { text, tiny, low, small, exempt, moving: moving.slice(0, 5), cursor: root.cursor,
    scroll: root.scrollBehavior, wide: document.documentElement.scrollWidth - innerWidth };
}"""


def measure(page, targets: str, paragraphs: str) -> dict:
    """The measures of MEASURE on `page`: `targets` and `paragraphs` are CSS selectors."""
    return page.evaluate(MEASURE, {"targets": targets, "paragraphs": paragraphs})


def assert_care_measures(m: dict, where: str, wide: int = 0) -> None:
    assert m["text"], f"no paragraph measured on {where}"
    for size, line, margin in m["text"]:
        assert size >= 18, (where, size)
        assert line / size >= 1.3, (where, size, line)
        assert margin >= 1.3 * line, (where, line, margin)
    assert m["tiny"] == [], (where, m["tiny"])
    assert m["low"] == [], (where, m["low"])
    assert m["small"] == [], (where, m["small"])
    assert m["moving"] == [], (where, m["moving"])
    assert m["cursor"].startswith('url("data:image/svg+xml'), m["cursor"]
    assert m["scroll"] == "auto"
    assert m["wide"] <= wide, (where, m["wide"])
