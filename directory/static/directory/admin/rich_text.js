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
    onDestroy() {
      wrapper.before(textarea)
      wrapper.remove()
    },
  })
}

initializeEditors(createEditor, `[${marker}]`)
