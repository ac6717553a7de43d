/*
 * Editors' notes (annotated_essay.editors_notes; layout in editors-notes.css).
 *
 * - Wide screens (the CSS's 60em): each note sits in the margin beside its
 *   paragraph, out of the text's flow; this script moves it down to the line of its
 *   marker, below the previous note (of this paragraph or an earlier one), and
 *   makes room before a block that reaches into the margin (the list of notes) or
 *   at the page's end only when a note would otherwise run into it.
 *   Hovering or focusing a marker highlights the note and the passage; activating
 *   it moves focus to the note.
 * - Narrow screens: a tap (click or Enter) on the marker opens the note as a
 *   popover below the marker line and keeps it open; hover and keyboard focus
 *   open it while they last. Esc closes it and returns focus to the marker.
 *
 * Listeners are on the document, so they survive Material's navigation.instant;
 * the margin layout is redone on every page Material shows and on resize.
 * Without this script the marker is a plain link to the list of notes at the
 * end of the page, and wide screens still show every note beside its paragraph.
 */
(function () {
  "use strict"

  var WIDE = window.matchMedia("(min-width: 60em)")
  var open = null      // { ref, note, pinned }
  var closeTimer = null
  var refocusing = false  // Esc gives focus back to the marker: that must not reopen the note

  function wide() {
    return WIDE.matches
  }

  function markerOf(target) {
    return target instanceof Element ? target.closest("sup.editors-note-ref > a") : null
  }

  function noteOf(ref) {
    var wrapper = ref.closest(".editors-noted")
    if (!wrapper)
      return null
    return wrapper.querySelector('.editors-note[data-letter="' + ref.getAttribute("data-letter") + '"]')
  }

  function passageOf(ref) {
    var sup = ref.parentElement
    var previous = sup && sup.previousElementSibling
    return previous && previous.matches(".editors-passage") ? previous : null
  }

  function highlight(ref, on) {
    var note = noteOf(ref)
    var passage = passageOf(ref)
    if (note)
      note.classList.toggle("is-active", on)
    if (passage)
      passage.classList.toggle("is-active", on)
  }

  // -- narrow screens: popovers ------------------------------------------------------

  function place(ref, note) {
    var wrapper = ref.closest(".editors-noted")
    var top = ref.getBoundingClientRect().bottom - wrapper.getBoundingClientRect().top
    note.style.top = Math.round(top + 6) + "px"
  }

  function show(ref, pinned) {
    var note = noteOf(ref)
    if (!note)
      return
    clearTimeout(closeTimer)
    if (open && open.note !== note)
      hide(false)
    note.classList.add("is-open")
    note.id && ref.setAttribute("aria-controls", note.id)
    ref.setAttribute("aria-expanded", "true")
    place(ref, note)
    highlight(ref, true)
    open = { ref: ref, note: note, pinned: pinned || (open !== null && open.note === note && open.pinned) }
  }

  function hide(returnFocus) {
    clearTimeout(closeTimer)
    if (!open)
      return
    var current = open
    open = null
    current.note.classList.remove("is-open")
    current.note.style.top = ""
    current.ref.setAttribute("aria-expanded", "false")
    highlight(current.ref, false)
    if (returnFocus) {
      refocusing = true
      current.ref.focus()
      refocusing = false
    }
  }

  function hideSoon() {
    clearTimeout(closeTimer)
    closeTimer = setTimeout(function () {
      if (open && !open.pinned)
        hide(false)
    }, 300)
  }

  document.addEventListener("click", function (event) {
    var ref = markerOf(event.target)
    if (ref) {
      // Not a jump to the list: navigation.instant would follow the link anyway.
      event.preventDefault()
      event.stopPropagation()
      if (wide()) {
        var note = noteOf(ref)
        if (note)
          note.focus()
      } else if (open && open.ref === ref && open.pinned) {
        hide(false)
      } else {
        show(ref, true)
      }
      return
    }
    if (open && !open.note.contains(event.target))
      hide(false)
  }, true)  // capture: before navigation.instant, which handles clicks on links at <body>

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape")
      return
    if (open) {
      hide(true)
      return
    }
    // In the margin: back from a note to its marker.
    var note = event.target instanceof Element ? event.target.closest(".editors-note") : null
    var wrapper = note && note.closest(".editors-noted")
    var ref = wrapper && wrapper.querySelector('sup.editors-note-ref > a[data-letter="' + note.getAttribute("data-letter") + '"]')
    if (ref)
      ref.focus()
  })

  document.addEventListener("focusin", function (event) {
    var ref = markerOf(event.target)
    if (ref && refocusing)
      return
    if (ref) {
      if (wide())
        highlight(ref, true)
      else
        show(ref, false)
    } else if (open && !open.note.contains(event.target)) {
      hide(false)
    }
  })

  document.addEventListener("focusout", function (event) {
    var ref = markerOf(event.target)
    if (ref && wide())
      highlight(ref, false)
  })

  document.addEventListener("mouseover", function (event) {
    var ref = markerOf(event.target)
    if (ref) {
      if (wide())
        highlight(ref, true)
      else
        show(ref, false)
    } else if (open && open.note.contains(event.target)) {
      clearTimeout(closeTimer)
    }
  })

  document.addEventListener("mouseout", function (event) {
    var ref = markerOf(event.target)
    if (ref && wide())
      highlight(ref, false)
    else if (open && !open.pinned && (ref || open.note.contains(event.target)))
      hideSoon()
  })

  // -- wide screens: notes level with their markers ---------------------------------

  var GAP = 12  // px between a note and the note or block below it

  function markerFor(note) {
    var wrapper = note.closest(".editors-noted")
    return wrapper && wrapper.querySelector('sup.editors-note-ref > a[data-letter="' + note.getAttribute("data-letter") + '"]')
  }

  // A block of the text that reaches into the margin column (the list of notes at the
  // end, a wide figure): a note above it must end before it, so it is moved down.
  function barriers(container) {
    var margin = container.querySelector(".editors-margin")
    if (!margin)
      return []
    var left = margin.getBoundingClientRect().left
    return Array.prototype.filter.call(container.children, function (block) {
      return !block.matches(".editors-noted, a, hr, script, style") && block.getBoundingClientRect().right > left + 1
    })
  }

  // Adds `extra` px to a block's top margin or bottom padding, measured again because
  // a margin may collapse with its first child's.
  function makeRoom(element, property, extra, edge) {
    for (var tries = 0; tries < 3 && extra > 0.5; tries++) {
      var before = edge()
      element.style[property] = parseFloat(getComputedStyle(element)[property]) + extra + "px"
      extra -= edge() - before
    }
  }

  function align() {
    document.querySelectorAll(".editors-note").forEach(function (note) {
      note.style.marginTop = ""
    })
    document.querySelectorAll("[data-editors-room]").forEach(function (element) {
      element.style[element.getAttribute("data-editors-room")] = ""
      element.removeAttribute("data-editors-room")
    })
    if (!wide())
      return
    var containers = new Set()
    document.querySelectorAll(".editors-noted").forEach(function (wrapper) {
      containers.add(wrapper.parentElement)
    })
    containers.forEach(function (container) {
      var walls = barriers(container)
      var items = Array.prototype.slice.call(container.querySelectorAll(".editors-note")).concat(walls)
      // Document order: a note is placed after every note and block above it.
      items.sort(function (a, b) {
        return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1
      })
      var floor = -Infinity  // the lowest bottom of the notes placed so far
      items.forEach(function (item) {
        if (walls.indexOf(item) >= 0) {
          var top = item.getBoundingClientRect().top
          if (floor + GAP > top) {
            item.setAttribute("data-editors-room", "marginTop")
            makeRoom(item, "marginTop", floor + GAP - top, function () {
              return item.getBoundingClientRect().top
            })
          }
          floor = -Infinity
          return
        }
        var ref = markerFor(item)
        if (!ref)
          return
        var line = Math.max(ref.parentElement.getBoundingClientRect().top, floor + GAP)
        var shift = line - item.getBoundingClientRect().top
        if (shift > 1)
          item.style.marginTop = parseFloat(getComputedStyle(item).marginTop) + shift + "px"
        floor = Math.max(floor, item.getBoundingClientRect().bottom)
      })
      // The last notes end before the page's footer: room at the container's end.
      var end = container.getBoundingClientRect().bottom
      if (floor + GAP > end) {
        container.setAttribute("data-editors-room", "paddingBottom")
        makeRoom(container, "paddingBottom", floor + GAP - end, function () {
          return container.getBoundingClientRect().bottom
        })
      }
    })
  }

  function relayout() {
    hide(false)
    align()
  }

  WIDE.addEventListener("change", relayout)
  window.addEventListener("resize", function () {
    window.requestAnimationFrame(align)
  })
  if (document.fonts && document.fonts.ready)
    document.fonts.ready.then(align)
  // Material's navigation.instant swaps the page without reloading scripts.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe)
    window.document$.subscribe(relayout)
  else if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", relayout)
  else
    relayout()
})()
