/**
 * An Ollama this tool did not install: say what manages it and the official way to update it.
 * Only words: nothing here runs an installer, and never a remote script.
 */
import { existsSync, realpathSync } from "node:fs";

export interface SystemInstall {
  binary: string;
  /** What manages it, e.g. "Homebrew", "the Ollama app", "Ollama's install.sh (systemd service)". */
  managedBy: string;
  /** How to update it, for a person to run. */
  update: string;
}

const real = (f: string) => {
  try {
    return realpathSync(f);
  } catch {
    return f;
  }
};

export function describeSystemInstall(binary: string, platform: string = process.platform): SystemInstall {
  const path = real(binary).replaceAll("\\", "/");
  if (/\/(homebrew|Cellar|linuxbrew)\//i.test(path))
    return { binary, managedBy: "Homebrew", update: "brew upgrade ollama" };
  if (path.startsWith("/snap/")) return { binary, managedBy: "snap", update: "sudo snap refresh ollama" };
  if (path.startsWith("/nix/")) return { binary, managedBy: "Nix", update: "update it through your Nix configuration" };
  if (platform === "darwin" && path.includes("/Ollama.app/"))
    return {
      binary,
      managedBy: "the Ollama app",
      update:
        "the app updates itself (menu bar → Restart to update), or download the new one from https://ollama.com/download",
    };
  if (platform === "win32")
    return {
      binary,
      managedBy: "the Ollama app (OllamaSetup.exe)",
      update:
        "the app updates itself (tray icon → Restart to update), or run the new OllamaSetup.exe from https://ollama.com/download",
    };
  const service = ["/etc/systemd/system/ollama.service", "/usr/lib/systemd/system/ollama.service"].some(existsSync);
  if (path.startsWith("/usr/") || path.startsWith("/bin/"))
    return {
      binary,
      managedBy: service
        ? "Ollama's Linux installer, as the systemd service `ollama`"
        : "a system-wide install (Ollama's installer or a package manager)",
      update:
        "re-run Ollama's installer after reading it (https://ollama.com/install.sh), or follow https://docs.ollama.com/linux; " +
        "with a distribution package, use your package manager",
    };
  return {
    binary,
    managedBy: "an install outside small-llm",
    update: "update it the way it was installed, or see https://ollama.com/download",
  };
}
