"""Comparison of the sources of one story: facts (corroborated, single-source, conflicting),
a cited brief and a cited timeline. Nothing here is generated text: every line is a source's
sentence with its citations."""

from __future__ import annotations

import sys
from typing import Any

from ..outlets import UNKNOWN, Speaker, voices
from ..records import Article
from ..errors import ModelError
from ..settings import Settings
from ..store import Store, StoryAssignment
from .align import AlignParams, align
from .pairmodel import load as load_pair_model
from .places import demonym_links
from .relate import RelateParams
from .report import (brief, date_flag, facts, findings_shown, notices, outlet_matrix, status_label,
                     timeline)
from .statements import Statement, statements_of

__all__ = ["compare", "story_statements", "story_voices", "source_name", "date_flag",
           "findings_shown", "status_label",
           "AlignParams", "RelateParams", "Statement"]


def story_statements(store: Store, articles: list[Article], sources: list[str],
                     groups: list[str]) -> list[Statement]:
    """The statements of a story's articles (each with its source and lineage group), with
    canonical entity ids; a demonym counts as the place the story names ('Russian' as
    'Russia')."""
    canonicals = [store.article_entity_ids(art.id) for art in articles]
    same_as = demonym_links({c.id: c for per in canonicals for c in per.values()}.values())
    out: list[Statement] = []
    for art, source, group, canonical in zip(articles, sources, groups, canonicals):
        out += statements_of(art, source, group, canonical, same_as)
    return out


def source_name(art: Article) -> str:
    """How a statement's source is cited: the outlet, else the credited source, else an
    unknown outlet told apart by the article ('unknown outlet 37d4af')."""
    return art.outlet or art.credited_source or f"{UNKNOWN} {art.id[:6]}"


def story_voices(articles: list[Article], assignments: list[StoryAssignment]) -> dict[str, str]:
    """Article id -> its voice in the story (see :mod:`parallax.outlets`)."""
    lineage = {a.article_id: a.lineage_id for a in assignments if a.lineage_id}
    return voices([Speaker(a.id, a.outlet, a.credited_source, lineage.get(a.id)) for a in articles])


_WARNED: set[str] = set()


def pair_model(settings: Settings):
    """(the sentence-pair model the settings name or None, notices): a model that cannot be
    loaded is reported once on stderr (one line: the file and the fix) and in every
    comparison's notices, and the comparison goes on with words alone."""
    try:
        return load_pair_model(settings.pair_model, settings.pair_model_threads), []
    except ModelError as exc:
        line = exc.one_line()
        if line not in _WARNED:
            _WARNED.add(line)
            print(f"parallax: {line}", file=sys.stderr)
        return None, [{"code": "pair_model_unavailable",
                       "text": f"compared on words alone: {line}"}]


NEVER = 2.0  # a model threshold no score reaches: the model alone never makes a source


def align_params(settings: Settings, model=None) -> AlignParams:
    """The alignment's parameters from the settings: the word coverage a statement needs to
    state another's fact; the pair-model score that does the same (the settings', else the
    model card's; the shipped card has none: its model only shows what is told similarly);
    and the score from which a statement is shown as told similarly."""
    card = model.card if model else {}
    threshold = settings.pair_model_threshold or card.get("threshold")
    similar = card.get("similar_threshold") or AlignParams.model_similar
    return AlignParams(RelateParams(agree_small=settings.align_threshold,
                                    model_agree=threshold if threshold else NEVER),
                       model_similar=min(threshold, similar) if threshold else similar)


def compare(store: Store, articles: list[Article], assignments: list[StoryAssignment],
            settings: Settings | None = None) -> dict[str, Any]:
    """Brief, facts and timeline of a story's already loaded articles (``reports.story_report``
    loads a stored story and adds its sources). ``assignments`` gives each article's lineage
    group (copies of one report never corroborate each other); the store is asked only for
    canonical entity ids."""
    settings = settings or Settings()
    model, model_notice = pair_model(settings)
    voice_of = story_voices(articles, assignments)
    statements = story_statements(store, articles, [source_name(art) for art in articles],
                                  [voice_of[art.id] for art in articles])
    published = [(art.date[:10], source_name(art), art.id) for art in articles if art.date]
    params = align_params(settings, model)
    threshold = params.relate.model_agree if params.relate.model_agree < NEVER else None
    groups = align(statements, params, model)
    fact_list = facts(statements, groups)
    return {
        "independent_sources": len(set(voice_of.values())),
        "notices": notices(statements, set(voice_of.values()), articles) + model_notice,
        "compared_with": {"words": True, "pair_model": model.card.get("name", str(model.path)) if model else None,
                          "pair_model_threshold": threshold if model else None,
                          "told_similarly_threshold": params.model_similar if model else None},
        "brief": brief(fact_list, statements, settings.brief_sentences),
        "facts": [{k: v for k, v in f.items() if not k.startswith("_")} for f in fact_list],
        "timeline": timeline(statements, fact_list, published),
        "matrix": outlet_matrix(fact_list, _voice_labels(articles, voice_of), voice_of),
    }


def _voice_labels(articles: list[Article], voice_of: dict[str, str]) -> list[tuple[str, str]]:
    """Each independent source once, in the order it first reported, labelled by its first
    name ('nytimes.com (+2)' when copies or other spellings count with it)."""
    names: dict[str, list[str]] = {}
    for art in sorted(articles, key=lambda a: (a.date or "9999", a.id)):
        seen = names.setdefault(voice_of[art.id], [])
        if source_name(art) not in seen:
            seen.append(source_name(art))
    return [(v, n[0] + (f" (+{len(n) - 1})" if len(n) > 1 else "")) for v, n in names.items()]
