"""The cleaning rules, in the order they run. Each can be switched off by name with the
``clean_disabled`` setting (``PARALLAX_CLEAN_DISABLED=glued_words,bio``)."""

from __future__ import annotations

from .base import Change, Context, Rule
from .boilerplate import strip_boilerplate
from .credits import strip_bios, strip_captions, strip_credits, strip_repeated, strip_title
from .glue import repair_glue
from .numbers import join_spaced_numbers
from .unicode import fix_unicode
from .whitespace import normalize_whitespace

RULES: tuple[Rule, ...] = (
    Rule("unicode", fix_unicode, "mojibake and broken entities (ftfy); quotes kept as published"),
    Rule("boilerplate", strip_boilerplate, "navigation, ads, cookie notices, copyright lines"),
    Rule("caption", strip_captions, "photo captions with their credits -> metadata.captions"),
    Rule("bio", strip_bios, "author bios at the end, bylines at the top -> author"),
    Rule("credits", strip_credits, "'Source:' lines and wire signatures -> credited source; "
         "'Read more', share and subscribe lines"),
    Rule("repeated", strip_repeated, "paragraphs repeated by the scraper"),
    Rule("title", strip_title, "the headline repeated as the first line"),
    Rule("glued_words", repair_glue, "words glued where a link was: 'weaponswith'"),
    Rule("spaced_numbers", join_spaced_numbers, "numbers split by a stray space: '$1, 099', "
         "'4. 6 magnitude', '2: 09 a. m.'"),
    Rule("whitespace", normalize_whitespace, "spaces and blank lines"),
)

__all__ = ["RULES", "Change", "Context", "Rule"]
