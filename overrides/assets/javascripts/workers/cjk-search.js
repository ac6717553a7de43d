/*
 * Search worker: Material for MkDocs' own, plus substring search in Chinese,
 * Japanese and Korean text (loaded instead of it by overrides/main.html).
 *
 * Why: these languages write words without spaces, and the site builds its
 * index without a dictionary (no jieba: loading one costs every build about a
 * second). The `separator` under `search` in mkdocs.yml cuts before and after
 * every CJK letter, so each letter is an index term; this file makes a query of
 * several such letters mean "these letters, side by side":
 *
 * 1. A query's runs of two or more CJK letters ("中俄关系") go to Material's
 *    search as required single letters ("+中 +俄 +关 +系"): every section
 *    holding the run is found.
 * 2. Of the sections found, only those whose text or title holds each run
 *    contiguously are kept, so letters that merely occur in one section do not
 *    match. Pages left without such a section are dropped.
 * 3. Each kept result highlights the whole run, not its single letters, and
 *    the run (not its letters) goes into the link's `?h=`, so the page it
 *    opens highlights the whole query (`search.highlight`).
 *
 * Everything else, English included, passes through unchanged. The CJK letter
 * class is read from the separator's look-behind `(?<=[...])`, so mkdocs.yml
 * stays the one place that defines it; without one this file changes nothing,
 * nor when the worker it loads is not Material's (Zensical's, say).
 * Material's worker is loaded from the URL given as `?material=` (same origin
 * only), after the listeners below, which therefore run before its own.
 */
(function () {
  "use strict"

  /* Message types of Material's worker (SearchMessageType in its sources). */
  var SETUP = 0
  var QUERY = 2
  var RESULT = 3

  /* A CJK letter (RegExp source), from the separator; null: pass through. */
  var letter = null
  /* Plain title and text (tags removed) of every indexed section, by location. */
  var sections = new Map()
  /* Whether the imported worker is Material's (see the end of this file). */
  var material = false
  /* The CJK runs of each query sent on to Material's search, oldest first:
     its handler answers every query, in order, with one result. */
  var pending = []

  function plain(html) {
    var text = String(html || "").replace(/<[^>]*>/g, "")
    /* A line break inside a run of CJK letters is not a space in the text. */
    return letter ? text.replace(new RegExp("(" + letter + ")\\s+(?=" + letter + ")", "g"), "$1") : text
  }

  function setup(data) {
    var found = /\(\?<=(\[[^\]]+\])\)/.exec((data && data.config && data.config.separator) || "")
    /* Not Material's index (another engine's worker): change nothing. */
    letter = found && material && Array.isArray(data.docs) ? found[1] : null
    sections = new Map()
    if (!letter)
      return
    data.docs.forEach(function (doc) {
      sections.set(doc.location, { title: plain(doc.title), text: plain(doc.text) })
    })
  }

  /* "中俄关系 Xi" -> "+中 +俄 +关 +系 Xi", with the run "中俄关系" remembered. */
  function rewrite(query) {
    var runs = []
    if (!letter)
      return { query: query, runs: runs }
    var run = new RegExp(letter + "{2,}", "g")
    if (!run.test(query))
      return { query: query, runs: runs }
    /* Quotes make Material require every word; the runs are required anyway. */
    var parts = query.replace(/"/g, " ").split(/(\s+)/).map(function (part) {
      /* Excluded terms and field, boost or fuzzy syntax stay Material's. */
      if (/^-|[:^~]/.test(part) || !new RegExp(letter + "{2}").test(part))
        return part
      /* A wildcard adds nothing to a search for any substring (and Material
         appends one to every plain word anyway). */
      part = part.replace(/\*/g, "")
      var required = part.charAt(0) === "+"
      var words = []
      part.replace(/^\+/, "").split(new RegExp("(" + letter + "{2,})")).forEach(function (piece, index) {
        if (index % 2) {
          runs.push(piece)
          Array.from(piece).forEach(function (char) { words.push("+" + char) })
        } else if (piece) {
          words.push(required ? "+" + piece : piece)
        }
      })
      return words.join(" ")
    })
    return { query: parts.join(""), runs: runs }
  }

  function holds(section, runs) {
    return !!section && runs.every(function (run) {
      return section.title.indexOf(run) >= 0 || section.text.indexOf(run) >= 0
    })
  }

  /* Mark the runs in the text between tags; unmark single CJK letters. */
  function mark(html, runs) {
    var single = new RegExp("<mark>(" + letter + ")</mark>", "g")
    html = String(html).replace(single, "$1")
    if (!runs.length)
      return html
    var pattern = new RegExp(runs.slice().sort(function (a, b) { return b.length - a.length }).join("|"), "g")
    return html.split(/(<[^>]*>)/).map(function (piece, index) {
      return index % 2 ? piece : piece.replace(pattern, "<mark>$&</mark>")
    }).join("")
  }

  /* The index text is escaped by Python's html.escape(quote=False). */
  function unescape(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")
  }

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
  }

  /* Some words of the section around the first run, when Material's teaser
     (the first blocks with any of the letters) does not show one. */
  function excerpt(section, runs) {
    var text = unescape(section.text)
    var at = text.indexOf(runs[0])
    var start = Math.max(0, at - 60)
    var end = Math.min(text.length, at + runs[0].length + 60)
    return "<p>" + (start > 0 ? "… " : "") + escape(text.slice(start, end)) + (end < text.length ? " …" : "") + "</p>"
  }

  function adjust(item, runs, ok) {
    var letters = new Set()
    runs.forEach(function (run) { Array.from(run).forEach(function (char) { letters.add(char) }) })
    var terms = {}
    Object.keys(item.terms || {}).forEach(function (term) {
      if (!letters.has(term))
        terms[term] = item.terms[term]
    })
    runs.forEach(function (run) { terms[run] = ok })
    item.terms = terms
    item.title = ok ? mark(item.title, runs) : mark(item.title, [])
    if (!ok) {
      item.text = mark(item.text, [])
    } else if (plain(item.text).indexOf(runs[0]) >= 0 || !sections.has(item.location)) {
      item.text = mark(item.text, runs)
    } else {
      item.text = mark(excerpt(sections.get(item.location), runs), runs)
    }
    return item
  }

  function refine(result, runs) {
    if (!runs || !runs.length || !result || !result.items)
      return result
    result.items = result.items.map(function (group) {
      var found = group.filter(function (item) { return holds(sections.get(item.location), runs) })
      if (!found.length)
        return null
      return group
        .filter(function (item) { return found.indexOf(item) >= 0 || item.location.indexOf("#") < 0 })
        .map(function (item) { return adjust(item, runs, found.indexOf(item) >= 0) })
    }).filter(Boolean)
    return result
  }

  self.addEventListener("message", function (event) {
    var message = event.data
    if (!message || !material)
      return
    if (message.type === SETUP) {
      setup(message.data)
    } else if (message.type === QUERY) {
      var rewritten = rewrite(String(message.data))
      message.data = rewritten.query
      pending.push(rewritten.runs)
    }
  })

  var post = self.postMessage.bind(self)
  self.postMessage = function (message) {
    if (material && message && message.type === RESULT)
      message.data = refine(message.data, pending.shift())
    post(message)
  }

  var url = new URL(self.location.href).searchParams.get("material")
  if (!url || new URL(url, self.location.href).origin !== self.location.origin)
    throw new Error("cjk-search.js: ?material= must name Material's search worker on this site")
  importScripts(new URL(url, self.location.href).href)
  /* Material's worker listens with addEventListener; a worker that sets onmessage
     instead (Zensical's, whose bundle names its worker alike) speaks another
     protocol, so this file steps aside. */
  material = typeof self.onmessage !== "function"
})()
