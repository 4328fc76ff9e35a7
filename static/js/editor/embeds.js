// Embeds of a few providers' posts and videos, stored as their address:
// <figure data-embed="youtube"><a href="https://…">https://…</a></figure>.
// The reader site turns it into a card that loads the provider only when the
// reader asks. Saving checks the address again (core/embeds.py).
import { Node, gettext, updateAttrsDialog } from "django-prose-editor/editor"

// The addresses core/embeds.py accepts, in short: https, the provider's exact
// hosts, the path of one post or video.
const PROVIDERS = [
  {
    name: "youtube",
    label: gettext("YouTube"),
    pattern:
      /^https:\/\/(?:(?:www\.|m\.)?youtube\.com\/(?:watch\?(?:[^#]*&)?v=|(?:shorts|embed|live)\/)|youtu\.be\/)[\w-]{11}\/?(?:[?&#]|$)/,
  },
  {
    name: "x",
    // Translators: the social network formerly called Twitter.
    label: gettext("X"),
    pattern:
      /^https:\/\/(?:www\.|mobile\.)?(?:x|twitter)\.com\/\w{1,15}\/status\/\d{1,20}\/?(?:[?#]|$)/,
  },
  {
    name: "instagram",
    label: gettext("Instagram"),
    pattern: /^https:\/\/(?:www\.)?instagram\.com\/(?:p|reel)\/[\w-]{5,40}\/?(?:[?#]|$)/,
  },
  {
    name: "navertv",
    label: gettext("Naver TV"),
    pattern: /^https:\/\/(?:m\.)?tv\.naver\.com\/(?:v|embed)\/\d{1,12}\/?(?:[?#]|$)/,
  },
  {
    name: "niconico",
    label: gettext("niconico"),
    pattern:
      /^https:\/\/(?:(?:www\.|sp\.)?nicovideo\.jp\/watch\/|nico\.ms\/)s[mo]\d{1,12}\/?(?:[?#]|$)/,
  },
]

// What an address is pasted as: printable ASCII, no backslash (which browsers
// read as "/").
const PRINTABLE = /^[!-[\]-~]+$/

const providerOf = (url) =>
  PRINTABLE.test(url)
    ? PROVIDERS.find((provider) => provider.pattern.test(url))
    : undefined

const labelOf = (name) =>
  PROVIDERS.find((provider) => provider.name === name)?.label || name

const refusal = (url) =>
  gettext(
    "This address cannot be embedded: %(url)s. Paste the address of a YouTube video, a post on X, an Instagram post or reel, a Naver TV video or a niconico video.",
  ).replace("%(url)s", () => url)

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes() {
    return {
      provider: {
        default: "",
        parseHTML: (element) => element.getAttribute("data-embed"),
        rendered: false,
      },
      url: {
        default: "",
        parseHTML: (element) =>
          element.querySelector("a[href]")?.getAttribute("href") || "",
        rendered: false,
      },
    }
  },

  parseHTML() {
    // Before any other figure's rule: this one is an embed.
    return [{ tag: "figure[data-embed]", priority: 100 }]
  },

  renderHTML({ node }) {
    const { provider, url } = node.attrs
    return ["figure", { "data-embed": provider }, ["a", { href: url }, url]]
  },

  // A box like the pictures' (desk.css): the provider and the address.
  addNodeView() {
    return ({ node, editor }) => {
      const dom = document.createElement("figure")
      dom.className = "desk-figure desk-embed"
      dom.contentEditable = "false"
      const words = document.createElement("figcaption")
      words.textContent = `${labelOf(node.attrs.provider)}: ${node.attrs.url}`
      dom.append(words)
      dom.addEventListener("dblclick", () => editor.commands.editEmbed())
      return { dom }
    }
  },

  addCommands() {
    return {
      editEmbed:
        () =>
        ({ editor }) => {
          const replacing = editor.isActive(this.name)
          const current = replacing ? editor.getAttributes(this.name).url : ""
          const ask = (url, problem) =>
            updateAttrsDialog(
              {
                url: {
                  type: "string",
                  title: gettext("Address of the post or video"),
                  description: problem,
                  required: true,
                },
              },
              { title: gettext("Embed"), submitText: gettext("Embed") },
            )(editor, { url }).then((attrs) => {
              if (!attrs) return
              let address = attrs.url.trim()
              // Typed without its scheme ("youtu.be/…"): the providers are https.
              if (address && !/^[a-z][a-z\d+.-]*:/i.test(address)) {
                address = `https://${address}`
              }
              const provider = providerOf(address)
              if (!provider) {
                ask(attrs.url, refusal(address))
                return
              }
              let chain = editor.chain().focus()
              // A new embed goes after selected text, never in its place.
              if (!replacing) chain = chain.setTextSelection(editor.state.selection.to)
              chain
                .insertContent({
                  type: this.name,
                  attrs: { provider: provider.name, url: address },
                })
                .run()
            })
          ask(current, "")
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      button: buttons.material("smart_display", gettext("Embed a post or video")),
      command(editor) {
        editor.commands.editEmbed()
      },
      active: (editor) => editor.isActive("embed"),
    })
  },
})
