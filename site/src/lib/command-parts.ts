/**
 * Where a long command may wrap on a narrow screen: after a space, `/` or `:`, never inside a word,
 * so `ollama run hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M` breaks between its parts.
 * The page puts a <wbr> after each part (as text nodes, never as HTML, since the parts come from the Hub).
 */
export function commandParts(command: string): string[] {
  return command.split(/(?<=[/: ])/).filter(Boolean);
}
