// The rich-text editor for news sections: django-prose-editor's bundle, loaded by a relative
// import so no inline import map is needed (the site's CSP forbids inline scripts), and with
// Tiptap's <style> injection turned off (its rules are in rich_text.css instead).
// The extensions match the server-side allow-list in directory/sanitize.py.
import {
  Blockquote,
  Bold,
  BulletList,
  Document,
  Dropcursor,
  Editor,
  Gapcursor,
  HardBreak,
  Heading,
  History,
  HorizontalRule,
  Italic,
  Link,
  ListItem,
  Menu,
  NoSpellCheck,
  OrderedList,
  Paragraph,
  Strike,
  Subscript,
  Superscript,
  Text,
  Underline,
  crel,
  initializeEditors,
} from "../../django_prose_editor/editor.js"

const marker = "data-rich-text"

// Texts come from the admin's JavaScript catalogue (jsi18n, loaded before this module). The
// bundle passes its dialogs' texts through window.gettext itself; its toolbar titles are
// fixed English, so translateMenu() passes them through here.
function gettext_noop(text) {
  return text
}
const translate = window.gettext || ((text) => text)
const interpolate = window.interpolate || ((format, args) => format.replace("%s", args[0]))
// Listed for makemessages (-d djangojs); the texts the bundle shows.
const BUNDLE_TEXTS = [
  gettext_noop("bold"),
  gettext_noop("italic"),
  gettext_noop("underline"),
  gettext_noop("strike"),
  gettext_noop("subscript"),
  gettext_noop("superscript"),
  gettext_noop("paragraph"),
  gettext_noop("blockquote"),
  gettext_noop("unordered list"),
  gettext_noop("ordered list"),
  gettext_noop("horizontal rule"),
  gettext_noop("insert link"),
  gettext_noop("remove link"),
  gettext_noop("undo"),
  gettext_noop("redo"),
  gettext_noop("Styles"),
  gettext_noop("URL"),
  gettext_noop("Title"),
  gettext_noop("Open in new window"),
  gettext_noop("Edit Link"),
  gettext_noop("Update"),
  gettext_noop("Insert"),
  gettext_noop("Cancel"),
  gettext_noop("List properties"),
  gettext_noop("List type"),
  gettext_noop("Start at"),
  gettext_noop("Decimal numbers"),
  gettext_noop("Lowercase letters"),
  gettext_noop("Uppercase letters"),
  gettext_noop("Lowercase Roman numerals"),
  gettext_noop("Uppercase Roman numerals"),
  gettext_noop("Bullets"),
  gettext_noop("heading %s"),
]
const HEADING = /^heading (\d)$/i

function translateText(text) {
  const level = HEADING.exec(text)
  if (level) return interpolate(translate("heading %s"), [level[1]])
  // The block-style picker writes "Paragraph" where the button title says "paragraph".
  const key = BUNDLE_TEXTS.includes(text) ? text : text.toLowerCase()
  return BUNDLE_TEXTS.includes(key) ? translate(key) : text
}

function translateMenu(wrapper) {
  for (const element of wrapper.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]")) {
    for (const name of ["title", "aria-label"]) {
      const text = element.getAttribute(name)
      if (text) element.setAttribute(name, translateText(text))
    }
  }
  // The picker's options are elements holding only their label ("Heading 2", "Paragraph").
  // Not the icons: their text is the ligature that draws them ("undo" is the undo arrow).
  for (const element of wrapper.querySelectorAll(".prose-menubar *")) {
    if (element.closest(".material-icons")) continue
    if (element.children.length === 0 && element.textContent.trim()) {
      const text = element.textContent.trim()
      const translated = translateText(text)
      if (translated !== text) element.textContent = translated
    }
  }
}
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null
  const disabled = textarea.hasAttribute("disabled")
  const wrapper = crel("div", { className: `prose-editor ${disabled ? "disabled" : ""}` })
  textarea.before(wrapper)
  wrapper.append(textarea)
  return new Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    content: textarea.value,
    extensions: [
      Document,
      Dropcursor,
      Gapcursor,
      Paragraph,
      HardBreak,
      Text,
      History,
      Menu,
      NoSpellCheck,
      Blockquote,
      Bold,
      BulletList,
      Heading.configure({ levels: [2, 3, 4] }),
      HorizontalRule,
      Italic,
      Link,
      ListItem,
      OrderedList,
      Strike,
      Subscript,
      Superscript,
      Underline,
    ],
    onUpdate({ editor }) {
      const html = editor.getHTML()
      textarea.value = EMPTY.test(html) ? "" : html
      textarea.dispatchEvent(new Event("input", { bubbles: true }))
    },
    onCreate() {
      translateMenu(wrapper)
    },
    onDestroy() {
      wrapper.before(textarea)
      wrapper.remove()
    },
  })
}

initializeEditors(createEditor, `[${marker}]`)
