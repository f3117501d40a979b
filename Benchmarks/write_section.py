#!/usr/bin/env python3
"""Puts a Markdown section into a file, for the benchmark scripts' --write.

usage: write_section.py FILE SECTION [AFTER]

SECTION's first and last lines are its markers (`<!-- name:begin -->`, `<!-- name:end -->`). If
FILE has them, what is between them (markers included) is replaced; otherwise the section goes
right after the line AFTER, if given and found, or at the end of the file.
"""

import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    path, section = sys.argv[1], sys.argv[2].strip("\n")
    after = sys.argv[3] if len(sys.argv) == 4 else None
    lines = section.splitlines()
    begin, end = lines[0], lines[-1]
    if not (begin.startswith("<!--") and end.startswith("<!--")):
        sys.exit("write_section.py: the section must start and end with its <!-- … --> markers")
    with open(path) as file:
        text = file.read()
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end):]
    elif after and after in text:
        text = text.replace(after, after + "\n\n" + section, 1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w") as file:
        file.write(text)


if __name__ == "__main__":
    main()
