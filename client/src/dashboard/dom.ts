/**
 * Building the page without innerHTML: every string — model names, answers, error messages, all of
 * which come from the Hub, the model or the network — goes in as text, never as markup.
 */

type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) if (c) node.append(c);
  return node;
}

export function button(label: string, onClick: (b: HTMLButtonElement) => void, cls = ""): HTMLButtonElement {
  const b = el("button", { text: label, class: cls, attrs: { type: "button" } });
  b.addEventListener("click", () => onClick(b));
  return b;
}

export const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Replace an element's content. */
export function fill(node: HTMLElement, ...children: Child[]): void {
  node.replaceChildren(...(children.filter(Boolean) as (Node | string)[]));
}
