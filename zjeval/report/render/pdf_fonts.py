"""Which official fonts this machine has, and which Simplified-Chinese faces stand in for the rest.

LibreOffice, not finding 仿宋_GB2312 or 方正小标宋简体, falls back to a face of its choosing — on
most Linux machines a Japanese one (Noto Sans CJK JP): title, body and headings alike, and some
characters in Japanese forms. So before converting, each missing official font is named in the
DOCX as an installed Simplified-Chinese face instead: its own fallback (仿宋 for 仿宋_GB2312 …)
when installed, else a serif for the 宋/仿宋/楷 faces and a sans for 黑体, as fontconfig lists
them for zh-cn (never a JP, KR, TC or HK face). The substitutions are said, in Chinese.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterable

from zjeval.report.render.docx_base import (
    BODY_FONT,
    FALLBACKS,
    HEADING_FONTS,
    MARK_FONT,
    PAGE_NUMBER_FONT,
    TITLE_FONT,
)

# each official face, and whether a stand-in should be a serif (宋、仿宋、楷) or a sans (黑体)
OFFICIAL: dict[str, bool] = {
    TITLE_FONT: True,
    BODY_FONT: True,
    HEADING_FONTS[1]: True,
    HEADING_FONTS[0]: False,
    MARK_FONT: False,
    PAGE_NUMBER_FONT: True,
}
PREFERRED = {
    True: ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN"),
    False: (
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "Source Han Sans CN",
        "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei",
    ),
}
NOT_SIMPLIFIED = re.compile(r"\b(JP|KR|TC|HK|Japanese|Korean|Jpan|Kore|Hant)\b|Mono", re.IGNORECASE)
TIMEOUT = 30


def _families(pattern: str) -> list[str]:
    """Font families fontconfig lists for `pattern` (each name of a family, in order)."""
    program = shutil.which("fc-list")
    if program is None:
        return []
    try:
        done = subprocess.run([program, pattern, "family"], capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    names: list[str] = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        for name in line.split(","):
            name = name.strip().replace("\\-", "-")
            if name and name not in names:
                names.append(name)
    return names


def installed() -> tuple[set[str], list[str]]:
    """(every installed family, the Simplified-Chinese ones in fontconfig's order)."""
    chinese = [n for n in _families(":lang=zh-cn") if not NOT_SIMPLIFIED.search(n)]
    return set(_families(":")), sorted(chinese)


def stand_in(serif: bool, chinese: Iterable[str]) -> str | None:
    """The Simplified-Chinese face to use for a missing serif (or sans) official font."""
    faces = list(chinese)
    for name in PREFERRED[serif]:
        if name in faces:
            return name
    kind = re.compile(r"Serif|Song|Ming|宋|仿宋|楷" if serif else r"Sans|Hei|黑", re.IGNORECASE)
    for name in faces:
        if kind.search(name):
            return name
    return faces[0] if faces else None


def substitutes(families: set[str], chinese: list[str]) -> tuple[dict[str, str], list[str]]:
    """Official font -> the installed face standing in for it; and the ones with no stand-in."""
    out: dict[str, str] = {}
    missing: list[str] = []
    for font, serif in OFFICIAL.items():
        if font in families:
            continue
        fallback = FALLBACKS.get(font)
        face = fallback if fallback in families else stand_in(serif, chinese)
        if face is None:
            missing.append(font)
        else:
            out[font] = face
    return out, missing


def note(mapping: dict[str, str], missing: list[str]) -> list[str]:
    """What the user is told: which fonts stand in for which (Chinese, full-width punctuation)."""
    lines = []
    if mapping:
        pairs = "；".join(f"{font} → {face}" for font, face in mapping.items())
        lines.append(f"提示：本机没有以下公文字体，PDF 中改用已安装的简体中文字体：{pairs}。")
        lines.append("装上这些字体后重新生成，即为正式字体；Word 文档（-o 报告.docx）中仍是正式字体。")
    if missing:
        lines.append(
            f"提示：本机没有 {'、'.join(missing)}，也没有可替代的简体中文字体，"
            "PDF 中的汉字可能显示为其他字形；请安装 fonts-noto-cjk 等简体中文字体后重新生成。"
        )
    return lines


def rename_fonts(docx: bytes, mapping: dict[str, str]) -> bytes:
    """The DOCX with each font name in `mapping` (an attribute value in any XML part) replaced."""
    if not mapping:
        return docx
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".xml"):
                text = data.decode("utf-8")
                for font, face in mapping.items():
                    text = text.replace(f'"{font}"', f'"{face}"')
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


# Noto CJK's collections (.ttc) share one CFF table among their JP, KR, SC, TC and HK faces, and
# LibreOffice names an embedded font by that table: the SC face it used shows as "…CJKjp…"
_SHARED_NAME = re.compile(rb"(/(?:BaseFont|FontName)\s*/(?:[A-Z]{6}\+)?Noto(?:Sans|Serif)CJK)jp-")


def face_names(pdf: bytes, mapping: dict[str, str]) -> bytes:
    """The PDF's font names say the Simplified-Chinese face that was used, when the collection's
    shared table named it otherwise (same length: the cross-reference offsets stay right)."""
    if not any(re.fullmatch(r"Noto (Sans|Serif) CJK SC", face) for face in mapping.values()):
        return pdf
    return _SHARED_NAME.sub(lambda m: m[1] + b"sc-", pdf)
