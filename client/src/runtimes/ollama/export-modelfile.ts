/** `small-llm modelfile`: an installed model's Modelfile from `/api/show`, made portable (FROM its name). */
import { OllamaError } from "../../errors/index.ts";
import type { CallOptions } from "../runtime.ts";
import type { OllamaDriver } from "./driver.ts";
import { portableModelfile } from "./modelfile.ts";

export async function exportModelfile(driver: OllamaDriver, ref: string, options: CallOptions = {}): Promise<string> {
  const shown = await driver.show(ref, options);
  if (typeof shown?.modelfile !== "string" || !shown.modelfile.trim())
    throw new OllamaError(`Ollama sent no Modelfile for ${ref}; is the server older than 0.1.20?`);
  const text = portableModelfile(shown.modelfile, ref);
  return text.endsWith("\n") ? text : `${text}\n`;
}
