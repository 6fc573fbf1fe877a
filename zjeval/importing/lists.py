"""Lists written in prose: the evaluation team (组长/副组长/成员), numbered goals, numbered items.

Pure, like patterns.py, whose tables (posts, team headers, roles) and enumerator helpers they use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zjeval.importing.patterns import (
    DEPT_END,
    ENDS_SENTENCE,
    NAME,
    POST,
    ROLE,
    SHI,
    TEAM_HEADER,
    enumerator_style,
    sentence,
    split_shi,
    strip_number,
)

# ---------------------------------------------------------------- team


def split_post(text: str) -> tuple[str, str]:
    """'综合规划与社会发展科科长' -> ('综合规划与社会发展科', '科长'); '副局长' -> ('', '副局长')."""
    text = text.strip()
    for i in range(len(text) - 1, 0, -1):
        dept, post = text[:i], text[i:]
        if POST.fullmatch(post) and DEPT_END.search(dept):
            return dept, post
    return "", text


def is_name(token: str) -> bool:
    return bool(NAME.match(token)) and not POST.search(token) and not DEPT_END.search(token)


def team_tokens(line: str) -> list[tuple[str, str]] | list[str]:
    """A team line as (name, post) pairs when written '张三(科长)', else as tokens."""
    pairs = re.findall(r"([\u3400-\u9fff·]{2,4})\s*[(（]([^()（）]+)[)）]", line)
    if pairs:
        return [(n, p.strip()) for n, p in pairs]
    compact = line.replace(" ", "")
    if len(compact) <= 4 and NAME.match(compact):
        return [compact]
    tokens = [t for t in re.split(r"[\s,，、;；]+", line) if t and not t.isdigit()]
    return tokens if all(t in TEAM_HEADER for t in tokens) else [t for t in tokens if t not in TEAM_HEADER]


def parse_team(lines: list[str]) -> tuple[list[dict[str, str]], list[int]]:
    """Members (role, name, dept, post) from 组长/副组长/成员 blocks; indices of lines not used.

    Values may share the role's line ('组长:张三(副局长)'), follow one per line (a scraped
    page) or sit in table rows ('成员 李四 办公室主任').
    """
    members: list[dict[str, str]] = []
    unused: list[int] = []
    role = ""
    pending: dict[str, str] | None = None  # a member whose post is still to come
    posts: list[str] = []

    def close() -> None:
        nonlocal pending, posts
        if pending is not None and posts:
            dept, post = split_post("".join(posts))
            pending["post"] = post
            if dept:
                pending["dept"] = dept
            members.append(pending)
        elif pending is not None:
            unused.append(int(pending["line"]))
        pending, posts = None, []

    for i, raw in enumerate(lines):
        m = ROLE.match(raw)
        text = raw
        if m:
            close()
            role = re.sub(r"\s", "", m["role"])
            text = m["rest"].strip()
        if not text:
            continue
        tokens = team_tokens(text)
        if tokens and all(isinstance(t, str) and t in TEAM_HEADER for t in tokens):
            continue  # a table's header row
        if not role:
            unused.append(i)
            continue
        if not tokens:
            if not m:
                unused.append(i)
            continue
        for token in tokens:
            if isinstance(token, tuple):
                close()
                pending, posts = {"role": role, "name": token[0], "line": str(i)}, [token[1]]
                close()
            elif is_name(token) and (pending is None or posts):
                close()
                pending = {"role": role, "name": token, "line": str(i)}
            elif pending is not None:
                posts.append(token)
            else:
                unused.append(i)
    close()
    for member in members:
        member.pop("line", None)
    return members, sorted(set(unused))


@dataclass
class Goal:
    body: str  # the goal's line without its number
    title: str
    points: list[str]
    split: bool  # the points came from 一是/二是 in the line itself


def parse_goals(lines: list[str]) -> tuple[list[Goal], list[int]]:
    """Numbered goals: the first numbering style met marks goals; other styles, 一是… or plain
    paragraphs under a goal are its points. Returns the goals and the lines before the first."""
    goals: list[Goal] = []
    unused: list[int] = []
    style = None
    for i, line in enumerate(lines):
        st = enumerator_style(line)
        if st is not None and (style is None or st == style):
            style = style or st
            body = strip_number(line)
            head, points = split_shi(body)
            title = head.strip().rstrip(",，;；。 ") if points else body
            goals.append(Goal(body, title, points, bool(points)))
        elif goals:
            text = strip_number(line) if st else SHI.sub("", line, count=1) if SHI.match(line) else line
            goals[-1].points.append(sentence(text))
        else:
            unused.append(i)
    for g in goals:
        if not g.points and not g.split:
            title, dot, rest = g.body.partition("。")
            g.title = title if dot else g.body
            if rest.strip():
                g.points.append(sentence(rest))
        elif not g.split:
            g.title = g.body.rstrip("。 ")
    return goals, unused


def parse_items(lines: list[str]) -> tuple[list[str], list[int]]:
    """Numbered items in any style; unnumbered lines continue an unfinished item or stand alone.
    An unnumbered line ending in a colon before the first item is an intro, returned as unused."""
    items: list[str] = []
    unused: list[int] = []
    for i, line in enumerate(lines):
        if enumerator_style(line) is not None:
            items.append(strip_number(line))
        elif items and not ENDS_SENTENCE.search(items[-1]):
            items[-1] += line
        elif not items and line.endswith((":", "：")):
            unused.append(i)
        else:
            items.append(line)
    return [x for x in items if x.strip()], unused
