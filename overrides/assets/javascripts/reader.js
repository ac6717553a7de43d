/*
 * Reader behaviour on top of Material for MkDocs, loaded by overrides/main.html.
 *
 * - Esc closes an open tooltip (a citation's note or a glossary definition), as
 *   WCAG 2.2 success criterion 1.4.13 asks of content shown on hover or focus;
 *   Material closes its tooltips only when pointer and focus have left.
 * - Material shows a citation's note as a tooltip with role="dialog" but no
 *   name; name it (axe-core rule aria-dialog-name). It appends title tooltips
 *   (glossary definitions) to <body>, outside every landmark; move them into
 *   <main> (axe-core rule region).
 *
 * Material appends tooltips to <body> when they open and removes them when they
 * close, so a dismissed tooltip is back to normal the next time it opens. The
 * listeners survive navigation.instant, which keeps <body> and this script.
 */
(function () {
  "use strict"

  function adopt(node) {
    if (!node.matches(".md-tooltip2"))
      return
    if (node.matches("[role=dialog]") && !node.hasAttribute("aria-label"))
      node.setAttribute("aria-label", "Note")
    // A glossary definition (role="tooltip") belongs inside a landmark (axe-core
    // rule region). <main> is not positioned, so the tooltip's absolute position,
    // which Material computes against the document, stays the same.
    var main = document.querySelector("main")
    if (node.matches("[role=tooltip]") && main && getComputedStyle(main).position === "static")
      main.append(node)
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE)
          adopt(node)
      })
    })
  }).observe(document.body, { childList: true })

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape")
      return
    // Every tooltip in the document is open, opening or about to be removed.
    document.querySelectorAll(".md-tooltip2").forEach(function (node) {
      node.setAttribute("data-dismissed", "")
    })
  })
})()
