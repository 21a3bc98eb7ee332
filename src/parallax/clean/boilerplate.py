"""Whole lines that are site furniture, not journalism: navigation, ads, cookie and share
prompts, "Read more" teasers, subscription calls. Only short whole lines are ever removed."""

from __future__ import annotations

import re

from .base import Change, Context, lines, remove

MAX_LINE = 160  # a line longer than this is body text, whatever it starts with

_FURNITURE = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored(?: content)?|skip to (?:main )?content"
    r"|(?:back|return) to top|(?:cookie|privacy) (?:policy|settings|preferences)"
    r"|(?:we use|this (?:site|website) uses) cookies\b.*|accept (?:all )?cookies"
    r"|all rights reserved\.?.*|(?:copyright|\(c\)|©)\s*(?:©\s*)?\d{4}.*|©.*"
    r"|loading\.*|menu|close|home|search|log ?in|sign ?in|register|toggle navigation"
    r"|most (?:read|popular|viewed)|trending(?: now)?|recommended(?: for you)?"
    r"|(?:tags|topics|filed under|categories)\s*:.*|comments?\s*\(?\d*\)?"
    r"|(?:image|photo|video)s?\s*\d+\s*(?:of|/)\s*\d+|listen to (?:this )?(?:article|story).*"
    r"|(?:\d+\s*)?min(?:ute)?s? read)\.?$",
    re.IGNORECASE,
)
_TEASER = re.compile(
    r"^(?:read more|read also|also read|see also|more on this(?: story)?|related(?: articles?| stories| coverage)?"
    r"|more from\b.*|watch|listen|recommended reading|you may also like|don'?t miss)\s*(?::|»|>|-|–|—|\.\.\.|$)",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"^(?:share(?: this(?: article| story| page| post)?)?(?: on| via)?\s*:?|tweet|email|e-mail|print"
    r"|copy link"
    r"|facebook|twitter|x|whatsapp|linkedin|telegram|reddit|pinterest|messenger)"
    r"(?:\s*[|•·,/]?\s*(?:facebook|twitter|x|whatsapp|linkedin|telegram|reddit|pinterest|email"
    r"|e-mail|print|copy link|messenger|share|tweet))*\s*$",
    re.IGNORECASE,
)
_CALL = re.compile(
    r"^(?:subscribe\b|sign up\b|follow us\b|follow (?:@\w+|\w+ on (?:twitter|facebook|instagram|x))"
    r"|join (?:us|our)\b|download (?:our|the) app|get (?:the latest|our newsletter|breaking news)"
    r"|click here\b|(?:like|follow) us on\b|to continue reading\b|already a subscriber"
    r"|support (?:our|independent) journalism|become a (?:member|subscriber)"
    r"|(?:this|the) (?:article|story) (?:was|is) (?:originally )?(?:published|updated|first published))",
    re.IGNORECASE,
)
_NAV_SEP = re.compile(r"\s*(?:\||•|·|»|›|/)\s*")


def is_nav_line(s: str) -> bool:
    """'Home | World | Sport | Business': three or more short items between separators."""
    parts = [p for p in _NAV_SEP.split(s) if p]
    return len(parts) >= 3 and all(len(p.split()) <= 3 and not p.endswith(".") for p in parts)


def strip_boilerplate(text: str, ctx: Context) -> list[Change]:
    changes = []
    for line in lines(text):
        s = line.text.strip()
        if s and len(s) <= MAX_LINE and (_FURNITURE.match(s) or is_nav_line(s)):
            changes.append(remove(line))
    return changes


def strip_prompts(text: str, ctx: Context) -> list[Change]:
    """'Read more: ...', share rows, subscribe/follow calls."""
    changes = []
    for line in lines(text):
        s = line.text.strip()
        if s and len(s) <= MAX_LINE and (_TEASER.match(s) or _SHARE.match(s) or _CALL.match(s)):
            changes.append(remove(line))
    return changes
