#!/usr/bin/env python3
"""Creates a new in-tree channel adapter from Templates/Adapter: a compiling skeleton with its
test file (which runs the adapter conformance check), registered in Package.swift's `plugins`
list and in Sources/SwitchboardAdapters/BuiltinAdapters.swift. docs/adapters.md walks through
what to change next.

usage: scripts/new-adapter.py NAME [--kind KIND]

  NAME   the plugin's name in UpperCamelCase (Acme, LineWorks): the folder Plugins/NAME and the
         module NAMEAdapter
  KIND   the config `type:` and address kind (default: NAME in kebab-case: acme, line-works)

Refuses, changing nothing, when NAME or KIND is malformed or already taken, or when the two
registration files lack their marker lines. Standard library only.
"""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "Templates" / "Adapter"
PACKAGE = ROOT / "Package.swift"
BUILTINS = ROOT / "Sources" / "SwitchboardAdapters" / "BuiltinAdapters.swift"
PACKAGE_MARKER = "    // scripts/new-adapter.py adds new plugins above this line.\n"
BUILTINS_MARKER = "        // scripts/new-adapter.py adds new adapters above this line.\n"


def fail(message: str) -> None:
    print(f"new-adapter: {message}", file=sys.stderr)
    sys.exit(1)


def kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def taken_kinds() -> set[str]:
    kinds = set()
    for source in (ROOT / "Plugins").glob("*/Sources/**/*.swift"):
        kinds.update(re.findall(r'kind: ChannelKind = "([^"]+)"', source.read_text(encoding="utf-8")))
    return kinds


def with_import(text: str, module: str) -> str:
    """Adds `import module` to the file's leading block of imports, keeping it sorted."""
    lines = text.splitlines(keepends=True)
    end = 0
    while end < len(lines) and lines[end].startswith("import "):
        end += 1
    imports = sorted(set(lines[:end] + [f"import {module}\n"]))
    return "".join(imports + lines[end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="UpperCamelCase plugin name, e.g. Acme")
    parser.add_argument("--kind", help="config type and address kind (default: the name in kebab-case)")
    args = parser.parse_args()
    name: str = args.name
    if not re.fullmatch(r"[A-Z][A-Za-z0-9]{1,39}", name) or name.endswith("Adapter"):
        fail(f"'{name}' is not a plugin name: use UpperCamelCase letters and digits (Acme, LineWorks), "
             "without the 'Adapter' suffix")
    kind: str = args.kind or kebab(name)
    if not re.fullmatch(r"[a-z][a-z0-9-]{0,39}", kind):
        fail(f"'{kind}' is not a channel kind: use lower-case letters, digits and '-' (acme, line-works)")
    module = f"{name}Adapter"
    folder = ROOT / "Plugins" / name
    if folder.exists():
        fail(f"Plugins/{name} already exists")
    package = PACKAGE.read_text(encoding="utf-8")
    builtins = BUILTINS.read_text(encoding="utf-8")
    if f'"{module}"' in package:
        fail(f"Package.swift already declares {module}")
    if kind in taken_kinds():
        fail(f"the channel kind '{kind}' is already served by another plugin; choose one with --kind")
    if PACKAGE_MARKER not in package or BUILTINS_MARKER not in builtins:
        fail("the marker lines in Package.swift or BuiltinAdapters.swift are missing; register by hand "
             "(docs/adapters.md, 'Register it')")

    written = []
    for template in sorted(TEMPLATE.rglob("*.swift")):
        target = folder / template.relative_to(TEMPLATE).as_posix().replace("__NAME__", name)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = template.read_text(encoding="utf-8").replace("__NAME__", name).replace("__KIND__", kind)
        target.write_text(text, encoding="utf-8")
        written.append(target.relative_to(ROOT))
    PACKAGE.write_text(
        package.replace(PACKAGE_MARKER, f'    ("{name}", "{module}", ["SwitchboardAdapterKit"]),\n' + PACKAGE_MARKER),
        encoding="utf-8")
    BUILTINS.write_text(
        with_import(builtins, module).replace(BUILTINS_MARKER, f"        {module}.self,\n" + BUILTINS_MARKER),
        encoding="utf-8")

    # Long names can push a line past the lint's limit: let swift-format lay the files out.
    if shutil.which("swift"):
        subprocess.run(["swift", "format", "format", "-i", "-r", str(folder)], check=False)
    for path in written:
        print(f"wrote {path}")
    print(f"registered {module} in Package.swift and Sources/SwitchboardAdapters/BuiltinAdapters.swift")
    print(f"next: swift build --build-tests && swift test --skip-build --filter {module}Tests")
    print(f"then: a channel with `type: {kind}` in Config/switchboard.yaml (docs/adapters.md)")


if __name__ == "__main__":
    main()
