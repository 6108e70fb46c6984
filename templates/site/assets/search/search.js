/* servicedir: the site's search, in the theme's own search box, from an index split in small files (Pagefind,
   written by generator/render/search.py into the folder that the search box's data-sd-search names).

   A query downloads Pagefind's loader and search code once, then only the index chunks that hold its words and
   the fragments of the results shown: ten at a time, more when the reader scrolls to the end of the list, as
   the theme does. The theme (Material for MkDocs 9.8) keeps everything else: opening and closing the search,
   the keys (arrows, Enter for the best result, Escape), the result counter's words, the styles. The results are
   written in the theme's own markup (`md-search-result__*`). Text from the index is the pages' plain text (a
   service named "<b>" is stored as those three characters): it is only ever set as text, never parsed as
   markup; the words found are put in <mark>. */
(() => {
  "use strict"

  const root = document.querySelector(".md-search[data-sd-search]")
  if (!root) return
  const config = JSON.parse(document.getElementById("__config").textContent)
  const words = config.translations
  const highlight = (config.features || []).includes("search.highlight")
  const input = root.querySelector("[data-md-component=search-query]")
  const meta = root.querySelector(".md-search-result__meta")
  const list = root.querySelector(".md-search-result__list")
  const scroller = root.querySelector(".md-search__scrollwrap")
  const bundle = new URL(root.dataset.sdSearch, location.href)
  const SHOWN = 10  // results written at once
  const PAUSE = 200  // ms after the last key before searching: not a search (chunks, fragments) per letter typed

  let engine = null    // Pagefind, once loaded
  let asked = 0        // the number of the latest query: an answer to an older one is dropped
  let current = null   // the latest answer: its results, how many are shown, whether more are on their way
  let pause = 0        // the timer of typed()

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind.js", bundle).href).then(async pagefind => {
        // In the page, not in a Web Worker: one download less, and a query takes milliseconds.
        await pagefind.options({ noWorker: true, excerptLength: 24 })
        await pagefind.init()
        return pagefind
      })
      engine.then(ready, error => console.warn("servicedir: search is not available", error))
    }
    return engine
  }

  function typed() {  // once typing pauses: the index chunks of "p", "pr", "pro"... are not all needed
    clearTimeout(pause)
    pause = setTimeout(() => search(input.value).catch(quiet), input.value.trim() ? PAUSE : 0)
  }

  function quiet() {}  // a query while the index cannot load: load() has said so once

  function ready() {
    if (input.value.trim()) search(input.value).catch(quiet)
    else say(words["search.result.placeholder"])
  }

  function say(text) {
    if (meta.textContent !== text) meta.textContent = text
  }

  function count(n) {  // as the theme writes it: 1.2k for 1,234
    if (n > 999) return `${((n + 1e-6) / 1000).toFixed(+((n - 950) % 1000 > 99))}k`
    return n.toString()
  }

  async function search(value) {
    const number = ++asked
    const query = value.trim()
    if (!query) {
      current = null
      list.replaceChildren()
      say(words["search.result.placeholder"])
      return
    }
    const pagefind = await load()
    const found = await pagefind.search(query)
    if (number !== asked || !found) return
    current = { query, results: found.results, shown: 0, busy: false }
    const items = await next(current)
    if (number !== asked) return
    const n = found.results.length
    say(n === 0 ? words["search.result.none"] : n === 1 ? words["search.result.one"]
      : words["search.result.other"].replace("#", count(n)))
    list.replaceChildren(...items)
    scroller.scrollTop = 0
  }

  async function next(answer) {  // the next results' fragments, as list items
    const batch = answer.results.slice(answer.shown, answer.shown + SHOWN)
    answer.shown += batch.length
    const pages = await Promise.all(batch.map(result => result.data()))
    return pages.map((page, i) => item(page, batch[i].score, answer.query))
  }

  async function more() {
    const answer = current
    if (!answer || answer.busy || answer.shown >= answer.results.length) return
    if (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 16) return
    answer.busy = true
    const items = await next(answer)
    answer.busy = false
    if (answer === current) list.append(...items)
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag)
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value)
    node.append(...children)
    return node
  }

  // Pagefind's excerpt is the page's text with its HTML specials as entities ("&lt;b&gt;") and the words found
  // put in <mark>...</mark>: the entities are turned back into characters by a <textarea>, whose content is
  // never parsed as markup, and the result is only ever set as text.
  const decoder = document.createElement("textarea")
  function plain(escaped) {
    decoder.innerHTML = escaped
    return decoder.value
  }

  function marked(excerpt) {
    const paragraph = document.createElement("p")
    let into = paragraph
    for (const part of excerpt.split(/(<mark>|<\/mark>)/)) {  // any other "<" is the page's own text: text
      if (part === "<mark>") paragraph.append(into = document.createElement("mark"))
      else if (part === "</mark>") into = paragraph
      else if (part) into.append(plain(part))
    }
    return paragraph
  }

  function titled(tag, title, query) {  // a title with the words searched for in <mark>, as the theme shows it
    const heading = document.createElement(tag)
    const terms = query.toLocaleLowerCase().split(/\s+/).filter(Boolean)
    const lower = title.toLocaleLowerCase()
    let at = 0
    while (at < title.length) {
      let start = -1, length = 0
      for (const term of terms) {
        const found = lower.indexOf(term, at)
        if (found >= 0 && (start < 0 || found < start)) [start, length] = [found, term.length]
      }
      if (start < 0 || lower.length !== title.length) break  // (a title whose case changes its length: plain)
      heading.append(title.slice(at, start), element("mark", null, title.slice(start, start + length)))
      at = start + length
    }
    heading.append(title.slice(at))
    return heading
  }

  function link(url, query, score, ...content) {
    const target = new URL(url, bundle)
    if (highlight) target.searchParams.set("h", query)
    return element("a", { href: target.href, class: "md-search-result__link", tabindex: "-1" },
      element("article", { class: "md-search-result__article md-typeset", "data-md-score": score.toFixed(2) },
        ...content))
  }

  function item(page, score, query) {  // one page, as the theme shows it: title and words; its sections folded
    const sections = page.sub_results.filter(section => section.anchor && section.url !== page.url)
    const parts = [link(page.url, query, score, element("div", { class: "md-search-result__icon md-icon" }),
      titled("h1", page.meta.title || "", query), marked(page.excerpt))]
    if (sections.length) {
      const more = sections.length === 1 ? words["search.result.more.one"]
        : words["search.result.more.other"].replace("#", sections.length)
      const lang = meta.getAttribute("lang")  // the theme's words may be another language's (and say so)
      parts.push(element("details", { class: "md-search-result__more" },
        element("summary", { tabindex: "-1" }, element("div", lang ? { lang } : null, more)),
        ...sections.map(section => link(section.url, query, 0, titled("h2", section.title || "", query),
          marked(section.excerpt)))))
    }
    return element("li", { class: "md-search-result__item" }, ...parts)
  }

  input.addEventListener("focus", load)
  document.getElementById("__search").addEventListener("change", event => event.target.checked && load())
  input.addEventListener("input", event => event.isComposing || typed())
  input.addEventListener("compositionend", typed)
  input.form.addEventListener("reset", () => setTimeout(typed, 0))
  scroller.addEventListener("scroll", () => more().catch(quiet), { passive: true })
})()
