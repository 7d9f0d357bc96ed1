"""A small SLHA reader/writer for param cards: blocks of (code tuple) -> value, DECAY widths with
their branching-ratio lines, comments kept as parameter names."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SLHA:
    blocks: dict[str, dict[tuple[int, ...], tuple[float, str]]] = field(default_factory=dict)
    decays: dict[int, tuple[float, str]] = field(default_factory=dict)
    branchings: dict[int, list[tuple[float, tuple[int, ...]]]] = field(default_factory=dict)

    def set(self, block: str, code: tuple[int, ...], value: float, name: str = "") -> None:
        block = block.upper()
        if block == "DECAY":
            self.decays[code[0]] = (float(value), name or self.decays.get(code[0], (0, ""))[1])
            return
        entries = self.blocks.setdefault(block, {})
        entries[tuple(code)] = (float(value), name or entries.get(tuple(code), (0, ""))[1])

    def get(self, block: str, code: tuple[int, ...], default: float | None = None) -> float:
        block = block.upper()
        if block == "DECAY":
            if code[0] in self.decays:
                return self.decays[code[0]][0]
        elif tuple(code) in self.blocks.get(block, {}):
            return self.blocks[block][tuple(code)][0]
        if default is None:
            raise KeyError(f"param card has no {block} {' '.join(map(str, code))}")
        return default

    def format(self, header: str = "") -> str:
        lines = [f"# {line}" if line else "#" for line in header.splitlines()]
        for block, entries in self.blocks.items():
            lines.append(f"BLOCK {block}")
            for code, (value, name) in entries.items():
                lines.append(
                    f"  {' '.join(f'{c:d}' for c in code)} {value:.10e}" + (f" # {name}" if name else "")
                )
        for pdg, (width, name) in self.decays.items():
            lines.append(f"DECAY {pdg} {width:.10e}" + (f" # {name}" if name else ""))
            for br, products in self.branchings.get(pdg, []):
                lines.append(f"   {br:.10e}  {len(products)}  " + "  ".join(map(str, products)))
        return "\n".join(lines) + "\n"


def read_slha(path: str | Path) -> SLHA:
    """Parse blocks, DECAY lines and branching ratios (QNUMBERS and the like are skipped)."""
    card = SLHA()
    block, decay = None, None
    for raw in Path(path).read_text().splitlines():
        text, _, comment = raw.partition("#")
        words = text.split()
        if not words:
            continue
        keyword = words[0].upper()
        if keyword == "BLOCK":
            block, decay = words[1].upper(), None
        elif keyword == "DECAY":
            block, decay = None, int(words[1])
            card.decays[decay] = (float(words[2]), comment.strip())
        elif decay is not None:
            n = int(words[1])
            card.branchings.setdefault(decay, []).append(
                (float(words[0]), tuple(int(w) for w in words[2 : 2 + n]))
            )
        elif block is not None and block != "QNUMBERS":
            try:
                code = tuple(int(w) for w in words[:-1])
                value = float(words[-1])
            except ValueError:
                raise ValueError(f"{path}: cannot read the line {raw.strip()!r} of block {block}") from None
            card.blocks.setdefault(block, {})[code] = (value, comment.strip())
    return card
