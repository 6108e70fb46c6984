/* servicedir: stands in for the theme's search worker (Material for MkDocs 9.8) on a site whose search index is
   built after the engine (generator/render/search.py). The theme sends this worker its settings and then every
   query; answering the settings with "ready" keeps the theme's search box behaving as always (it opens on focus,
   and the keys work: arrows, Enter, Escape). The queries are answered in the page by search.js, so they are not
   answered here. */
addEventListener("message", event => {
  if (event.data && event.data.type === 0) postMessage({ type: 1 })  // setup -> ready
})
