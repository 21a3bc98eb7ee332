"""Stories: lineage of copies, online clustering, evaluation harness, the seeds and the demo."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from parallax.eval.metrics import bcubed, pairwise
from parallax.pipeline import ingest, update_stories
from parallax.records import Article, article_id
from parallax.stories import cluster_docs
from parallax.stories.features import Doc, names
from parallax.stories.lineage import Lineage, choose_origin, member_of
from parallax.store import open_store

from .conftest import EXAMPLES, SEEDS

WIRE = ("Rescue teams searched through the rubble of collapsed houses in the Bener Meriah district "
        "on Wednesday after a magnitude 6.1 earthquake struck Aceh province, killing at least "
        "twenty people and injuring more than two hundred others, officials said. The quake "
        "damaged mosques, schools and roads, and thousands of residents spent the night in tents.")


def art(text, outlet=None, date=None, credited=None):
    return Article(id=article_id(text, None, outlet), text=text, raw_text=text, origin="t",
                   outlet=outlet, date=date, credited_source=credited)


def test_lineage_groups_copies_and_picks_the_origin():
    lineage = Lineage(0.5)
    a = art(WIRE, outlet="Daily A", date="2013-07-03", credited="AP")
    b = art(WIRE.replace("on Wednesday", "on Wednesday morning"), outlet="AP", date="2013-07-03")
    c = art("Parliament passed the budget after a long night of debate, the speaker said.",
            outlet="Daily A", date="2013-07-03")
    first, copy, other = (lineage.add(x) for x in (a, b, c))
    assert first.group_id == copy.group_id == a.id and other.group_id == c.id
    assert copy.origin == b.id  # same day: the outlet the copies credit is the origin
    assert set(copy.changed) == {a.id, b.id}  # the origin moved: both rows change
    assert lineage.index.origin(a.id) == b.id and other.changed == (c.id,)


def test_the_stores_lineage_reads_few_rows_and_finds_what_memory_finds(db):
    """The store's lineage index reads one article per band bucket and, for a group's origin,
    only its earliest members and the sources they credit (a wire story run by hundreds of
    outlets fills its buckets and its group with hundreds): through copies, rewrites, dated,
    undated and credited members and groups that merge, every update equals the one the
    memory index (which reads every member) gives, and every origin is the one
    ``choose_origin`` picks over all of the group's members."""
    import random

    rng = random.Random(4)
    words = WIRE.split()
    texts = []
    for k in range(150):
        base = texts[rng.randrange(len(texts))].split() if texts and rng.random() < 0.7 else \
            [rng.choice(words) for _ in range(60)]
        for _ in range(rng.randint(0, 6)):  # light edits: some copies stay in their group
            base[rng.randrange(len(base))] = rng.choice(words)
        texts.append(" ".join(base))
    bridged = []
    for t in range(6):  # X+Y and Y+Z are two groups until X+Y+Z joins both
        x, y, z = ([f"w{t}{part}{i}" for i in range(40)] for part in "xyz")
        texts += [" ".join(x + y), " ".join(y + z), " ".join(x + y + z)]
        bridged.append(len(texts) - 3)
    articles = [art(t, outlet=f"o{k % 7}", date=rng.choice([None, "", "2013-07-02", "2013-07-03",
                                                           "2013-07-01T08:00"]),
                    credited=rng.choice([None, None, "O3", "o5"]))
                for k, t in enumerate(texts)]
    memory = Lineage(0.5)
    with open_store(db) as store:
        index = store.lineage_index()
        stored = Lineage(0.5, index)
        for k, a in enumerate(articles):
            keys = stored.band_keys(a.text)
            every = set(index.groups_of(sorted(index.candidates(keys))).values())
            assert index.candidate_groups(keys) == every
            update = stored.add(a, arrival=k + 1)
            assert update == memory.add(a, arrival=k + 1)
            # the origin from a few rows is the one the rule picks over every member
            assert update.origin == choose_origin(memory.index.members(update.group_id))
        group_of = index.groups_of([a.id for a in articles])
    assert 5 < len(set(group_of.values())) < 120  # copies grouped, and more than one group
    joined = [k for k in bridged if group_of[articles[k].id] == group_of[articles[k + 1].id]]
    assert len(joined) >= 4, joined


def test_origin_is_earliest_then_fullest():
    early = member_of(art(WIRE, outlet="X", date="2013-07-02"), 2)
    late = member_of(art(WIRE + " More.", outlet="Y", date="2013-07-03"), 1)
    assert choose_origin([late, early]) == early.article_id
    short = member_of(art(WIRE[:200], outlet="X"), 1)
    full = member_of(art(WIRE, outlet="Y"), 2)
    assert choose_origin([short, full]) == full.article_id
    twin = member_of(art(WIRE, outlet="Z"), 3)
    assert choose_origin([full, twin]) == full.article_id  # a tie goes to the first arrival


def test_seeds_form_one_story_with_two_independent_sources(db, settings):
    with open_store(db) as store:
        ingest([str(SEEDS)], store, settings)
        update_stories(store, settings)
        (story,) = store.list_stories()
    assert story.size == 2 and story.independent_sources == 2
    assert set(story.outlets) == {"EFE", "La Voz de Galicia"}


def test_syndicated_copies_count_as_one_source(tmp_path, db, settings):
    d = tmp_path / "wire"
    d.mkdir()
    (d / "a.json").write_text(json.dumps({"title": "Quake kills 20 in Aceh", "text": WIRE,
                                          "source": "Daily A", "date": "2013-07-03"}))
    (d / "b.json").write_text(json.dumps({"title": "Aceh quake toll rises", "source": "Paper B",
                                          "text": WIRE.replace("twenty", "20"), "date": "2013-07-03"}))
    with open_store(db) as store:
        ingest([str(d)], store, settings)
        update_stories(store, settings)
        (story,) = store.list_stories()
    assert story.size == 2 and story.independent_sources == 1


def test_demo_twin_events_are_separate_stories(db, settings):
    gold = {}
    for line in (EXAMPLES / "ecbplus" / "excerpt.jsonl").read_text().splitlines():
        row = json.loads(line)
        gold[row["title"] or row["text"][:40]] = row["story"]
    with open_store(db) as store:
        ingest([str(EXAMPLES)], store, settings)
        update_stories(store, settings)
        stories = store.list_stories()
        members = defaultdict(set)
        for s in stories:
            for aid in s.article_ids:
                a = store.get_article(aid)
                key = a.title or a.raw_text[:40]
                if key in gold:
                    members[s.id].add(gold[key])
    assert members and all(len(g) == 1 for g in members.values())  # no story mixes two events


def test_same_input_same_stories_and_stable_ids():
    docs = [Doc(f"d{i}", text, None) for i, text in enumerate([
        "Earthquake hits Aceh province in Indonesia, killing five.",
        "Parliament passes the budget after a long debate in Canberra.",
        "Aceh earthquake: rescuers search rubble as Indonesia counts dead.",
        "Budget passes in Canberra parliament after long debate.",
    ])]
    first = cluster_docs(docs)
    assert first == cluster_docs(docs)
    assert first["d0"] == first["d2"] and first["d1"] == first["d3"] and first["d0"] != first["d1"]
    more = cluster_docs(docs + [Doc("d4", "More on the Aceh earthquake and the Indonesia dead.")])
    assert all(more[k] == v for k, v in first.items())  # earlier ids survive new arrivals


def test_names_feature():
    got = names("Wladimir Klitschko stopped Tony Thompson in New Bedford. The Hague said no.")
    assert {"wladimir_klitschko", "klitschko", "tony_thompson", "new_bedford", "hague"} <= set(got)


def test_metrics_by_hand():
    gold = ["a", "a", "b", "b"]
    assert bcubed(gold, [1, 1, 2, 2]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(gold, [1, 1, 1, 1])
    assert (p, r) == (0.5, 1.0)
    assert pairwise(gold, [1, 2, 3, 4])[1] == 0.0


def test_eval_cli_json_keys(cli):
    code, out, _ = cli("eval", "clusters", str(EXAMPLES / "ecbplus" / "excerpt.jsonl"), "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"b3_precision", "b3_recall", "b3_f1", "pairwise_f1", "ari", "v_measure",
                         "clusters_gold", "clusters_pred", "docs", "docs_per_second"}
    assert data["docs"] == 16 and data["clusters_gold"] == 4
    assert data["b3_precision"] == pytest.approx(1.0)  # twin events never merged
    code, out, _ = cli("eval", "clusters", str(EXAMPLES / "ecbplus" / "excerpt.jsonl"),
                       "--rebuild", "--json")
    data = json.loads(out)
    assert code == 0 and data["batch_method"] == "consensus"  # 16 articles: too few for pairs
    assert data["batch_method_why"] == "auto: 16 articles, fewer than 100 for the pair model"


def test_cluster_rebuild_command(cli):
    cli("ingest", str(EXAMPLES))
    code, _, err = cli("cluster", "--rebuild")
    assert code == 0 and "stories" in err
    code, out, _ = cli("stories", "--json")
    assert sum(s["size"] for s in json.loads(out)["items"]) == 18


def test_possessives_share_the_term_of_their_noun():
    from parallax.stories.features import terms

    assert terms("Russia’s involvement") == terms("Russia's involvements") == terms("Russia involvement")


HEADLINES = [  # two events told by headlines alone (as a feed gives them), and two others
    ("o1", "Ellen DeGeneres to host the Oscars again"),
    ("q1", "Strong earthquake strikes Aceh province in Indonesia"),
    ("n1", "Parliament passes budget after long debate"),
    ("o2", "Academy picks DeGeneres as 2014 ceremony host"),
    ("q3", "Aceh villages in ruins after tremor"),
    ("n2", "Apple unveils new MacBook Pro laptops"),
    ("o4", "Oscars: Ellen is back as host"),
    ("q4", "Rescuers search rubble after Indonesia earthquake"),
]


def _headline_stories(**overrides):
    from parallax.settings import Settings

    got = cluster_docs([Doc(i, f"{t}\n", None) for i, t in HEADLINES], Settings(**overrides))
    return {frozenset(i for i, s in got.items() if s == story) for story in set(got.values())}


def test_headlines_alone_join_their_event_at_the_short_text_threshold():
    want = {frozenset({"o1", "o2", "o4"}), frozenset({"q1", "q3", "q4"}), frozenset({"n1"}),
            frozenset({"n2"})}
    assert _headline_stories() == want
    # one threshold for every length leaves headlines of one event apart
    assert len(_headline_stories(story_short_terms=0)) > 4


def test_a_headline_is_held_to_the_full_threshold_against_full_reports():
    from parallax.stories import ClusterParams, OnlineClusterer
    from parallax.stories.online import doc_counts

    c = OnlineClusterer(ClusterParams())
    c.add(Doc("w", WIRE, None))
    story = c.stories[c.story_of["w"]]
    head = c._vectorize(Doc("h", "Aceh earthquake kills twenty", None))
    assert c.threshold_for(head) < c.p.threshold  # short against short (or alone)
    assert c.threshold_for(head, story) == pytest.approx(c.p.threshold * min(
        1.0, (len(doc_counts(Doc("w", WIRE, None))[0]) / c.p.short_terms) ** 0.5))


def test_story_lengths_survive_the_saved_state_and_old_states_load():
    from parallax.stories import ClusterParams, OnlineClusterer

    c = OnlineClusterer(ClusterParams(), keep_vectors=False)
    for i, t in HEADLINES:
        c.add(Doc(i, t, None))
    state = c.state()
    resumed = OnlineClusterer.from_state(json.loads(json.dumps(state)))
    assert {s.id: s.words for s in resumed.stories.values()} == \
        {s.id: s.words for s in c.stories.values()}
    old = dict(state, stories=[entry[:8] for entry in state["stories"]])  # saved before lengths
    legacy = OnlineClusterer.from_state(old)
    assert all(s.mean_words() == ClusterParams().keep_terms for s in legacy.stories.values())
