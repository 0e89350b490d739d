"""All OpenSearch query DSL for career search. User text is only ever passed as match text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from search_api.search.facets import Filters, facet_aggregations, filter_clauses
from search_api.search.fusion import SENTENCES, QueryShape, content_words

# Field boosts for the exact (synonym-aware) leg. Names and aliases identify a career; skills,
# interests and exams describe it; the long description matters least per word.
EXACT_FIELDS = [
    "name^5",
    "aliases^5",
    "category.text^2",
    "skills^2",
    "interests^2",
    "subjects^1.5",
    "exams^2.5",
    "degree^1.5",
    "description^1",
    "institutions^0.5",
]
# The typo-tolerant leg searches the short identifying fields only (fuzzy matching over long
# descriptions finds accidental near-words), and their unstemmed .plain copies: a stemmer
# mangles misspellings ("enginer" -> "engine", "lawer" -> "law") before fuzziness can help.
FUZZY_FIELDS = ["name.plain^3", "aliases.plain^3", "skills.plain^1", "interests.plain^1"]
SOURCE_EXCLUDES = ["embedding", "content_hash"]
# What fusion, re-ranking, browsing and did-you-mean read from each candidate. The page's
# full documents and highlights are fetched once the page is known (page_request). On the
# 2,244-career scale catalogue, full documents and highlights for all 50 hits were 40% of the
# BM25 leg's time (25.7 ms p50 with them, 15.2 ms with neither) and half the dense leg's
# (11.6 -> 6.0 ms); these fields cost back about 3 ms of that per leg (aliases are long there).
CANDIDATE_FIELDS = [
    "id", "name", "aliases", "category", "streams", "subjects", "exam_ids", "prominence",
    "mid_salary", "entry_salary", "senior_salary", "stress_level", "work_life_balance",
    "job_outlook", "remote_work", "travel_required",
]  # fmt: skip
# The highlighted text fields keep offsets in their postings (mappings/careers.json): the
# unified highlighter then reads them instead of analysing each document's text again. Same
# fragments on 140 scale pages; the page request took 2.4 -> 1.8 ms, the index grew 5%.
HIGHLIGHT: dict[str, Any] = {
    "pre_tags": ["<em>"],
    "post_tags": ["</em>"],
    "fields": {
        "name": {"number_of_fragments": 0},
        "aliases": {"number_of_fragments": 0},
        "description": {"fragment_size": 160, "number_of_fragments": 1},
        "skills": {"number_of_fragments": 0},
        "exams": {"number_of_fragments": 0},
    },
}


def exact_query(q: str) -> dict[str, Any]:
    return {
        "multi_match": {
            "query": q,
            "type": "best_fields",
            "fields": EXACT_FIELDS,
            "tie_breaker": 0.3,
        }
    }


def highlight(q: str) -> dict[str, Any]:
    # Highlight with the exact clause only: re-running the fuzzy clause per highlighted
    # document doubled the BM25 leg's time for little visible gain.
    return {**HIGHLIGHT, "highlight_query": exact_query(q)}


# Sentences describe a career in its description's words. Against every field with a name
# boost, their common words ("manage", "equipment") score other careers' names above the one
# described; one best_fields clause over the name and the description lets the description
# win when that is where the words are.
SENTENCE_FIELDS = ["name^2", "aliases^2", "description^1.5"]


# A sentence most of whose words one description holds is very likely about that career: a
# match on the description alone, most of the words required. Chosen on the tune halves
# (boost 1, 3, 6 at 75%; 60% at 3): scale tune description hit@5 0.950 -> 1.000 and hit@1
# 0.78 -> 0.89 at 3, task and student unchanged (6 cost both); 335 tune interest hit@5
# 0.960 -> 1.000.
DESCRIPTION_MATCH = "75%"
DESCRIPTION_BOOST = 3.0
DESCRIPTION_CLAUSE = "description"  # its `_name`: hits say whether they matched it


def sentence_query(q: str) -> list[dict[str, Any]]:
    return [
        {"multi_match": {"query": q, "type": "best_fields", "fields": SENTENCE_FIELDS}},
        {
            "match": {
                "description": {
                    "query": q,
                    "minimum_should_match": DESCRIPTION_MATCH,
                    "boost": DESCRIPTION_BOOST,
                    "_name": DESCRIPTION_CLAUSE,
                }
            }
        },
    ]


# Whether the catalogue uses a word (suggest.Vocabulary.known): such a word is taken as typed.
Known = Callable[[str], bool] | None


def typo_tolerant(q: str, known: Known = None) -> list[dict[str, Any]]:
    """The typo-tolerant clause over FUZZY_FIELDS: fuzzy for the words the catalogue never
    uses, exact (same fields, same boost) for the ones it does. A known word is rarely a typo,
    and fuzzy matching was the BM25 leg's dearest part: on the 2,244-career scale catalogue
    this clause took 9.0 ms p50 with every word fuzzy (2.0 ms with one edit at most: the
    two-edit automata of long, rightly spelled words), and 40 ms for sentences. Measured with
    the split: hit@1/hit@5 unchanged on both halves of our 453 judged queries, scale tune
    hit@5 0.663 either way. Without a vocabulary (PostgreSQL down) every word stays fuzzy."""
    words = q.split()
    typos = [w for w in words if known is None or not known(_plain(w))]
    exact = [w for w in words if w not in typos]
    clauses: list[dict[str, Any]] = []
    for part, fuzzy in ((typos, True), (exact, False)):
        if not part:
            continue
        match: dict[str, Any] = {
            "query": " ".join(part),
            "type": "best_fields",
            "fields": FUZZY_FIELDS,
            # without synonyms: a fuzzy variant of a synonym drifts too far
            "analyzer": "cc_plain",
            "boost": 0.6,
        }
        if fuzzy:
            # AUTO:4,7 = exact under 4 letters, 1 edit for 4-6, 2 from 7 (planning.typo_rules
            # sets the shipped rule); the first letter must match (prefix_length 1): typos
            # rarely start a word.
            match.update(fuzziness="AUTO:4,7", prefix_length=1, max_expansions=30)
        clauses.append({"multi_match": match})
    return clauses


def _plain(word: str) -> str:
    return word.casefold().replace(".", "").strip(",;:!?'\"()")


def text_query(q: str, shape: QueryShape | None = None, known: Known = None) -> dict[str, Any]:
    """The BM25 leg: synonym-aware exact matching, typo-tolerant matching, prefixes and exact
    name or alias hits, each a should clause so any one of them can find a career. A
    sentence (search.fusion.query_shape) also gets sentence_query."""
    sentence = shape in SENTENCES
    # The whole query for the exact name and alias clauses ("career counsellor"); its content
    # words for the scoring clauses of a sentence: "I" and "love" found C&I Engineer first for
    # "I love dancing".
    scored = (content_words(q) or q) if sentence else q
    extra = sentence_query(scored) if sentence else []
    return {
        "bool": {
            "should": [
                *extra,
                exact_query(scored),
                *typo_tolerant(scored, known),
                {
                    "multi_match": {
                        "query": scored,
                        "type": "bool_prefix",
                        "fields": ["name.autocomplete^2", "aliases.autocomplete"],
                        "operator": "and",
                        "boost": 0.8,
                    }
                },
                {"match_phrase": {"name": {"query": q, "boost": 3}}},
                {"term": {"name.keyword": {"value": q, "boost": 10}}},
                {"term": {"aliases.keyword": {"value": q, "boost": 8}}},
            ],
            "minimum_should_match": 1,
        }
    }


# What "plausibly matches" means for counting (total, facets): each text clause must match
# most of the query's words in one field; one or two words, all of them. Without it a
# two-word title counted every career that shares either word (a third of a large catalogue).
PLAUSIBLE_MATCH = "2<75%"


def plausible_text_query(
    q: str, shape: QueryShape | None = None, known: Known = None
) -> dict[str, Any]:
    query = text_query(q, shape, known)
    for clause in query["bool"]["should"]:
        match = clause.get("multi_match")
        if match is not None and match["type"] == "best_fields":
            match["minimum_should_match"] = PLAUSIBLE_MATCH
    return query


def knn_query(vector: list[float], min_score: float, filters: Filters | None) -> dict[str, Any]:
    """Every career whose cosine similarity clears the threshold, scored exactly.

    A fixed k would always return k careers, even for nonsense; a threshold lets the dense leg
    find nothing when nothing is close, so "no results" can still happen. Exact, not the k-NN
    plugin's radial search: Lucene's HNSW radial search stops walking the graph where the
    similarity falls under the threshold, so from an unlucky entry point it found nothing for
    15 of 467 queries (the 460 judged ones and 7 typos) whose exact neighbours numbered up to
    14 ("I love animals", "nurce", "astronmer"), and which ones depended on how a build laid
    out its graph. A catalogue of careers is small enough to score every vector (the filter
    first): 0.6 ms more per k-NN request on our 335 careers and 1.2 ms on the 2,244 of the
    scale set (quiet machine), API p50 within run-to-run noise of the radial query (22.5-23.1
    ms against 23.1-27.6 ms, scripts/bench_search.py).
    """
    clauses = filter_clauses(filters) if filters is not None else []
    candidates: dict[str, Any] = {"bool": {"filter": clauses}} if clauses else {"match_all": {}}
    return {
        "script_score": {
            "query": candidates,
            "script": {
                "source": "knn_score",
                "lang": "knn",
                # the lucene engine's cosinesimil score, (1 + cos) / 2, like the k-NN query's
                "params": {
                    "field": "embedding",
                    "query_value": vector,
                    "space_type": "cosinesimil",
                },
            },
            "min_score": min_score,
        }
    }


def bm25_leg(
    q: str,
    filters: Filters,
    size: int,
    shape: QueryShape | None = None,
    plausible_only: bool = False,
    known: Known = None,
    source: bool = True,
) -> dict[str, Any]:
    """plausible_only: rank only what the counting rule counts (plausible_text_query), so
    the results shown are among the `total` reported. source: False when the caller holds
    the candidates' fields already (leg_source)."""
    clauses = filter_clauses(filters)
    if plausible_only:
        clauses = [*clauses, plausible_text_query(q, shape, known)]
    return {
        "size": size,
        "query": {"bool": {"must": [text_query(q, shape, known)], "filter": clauses}},
        "_source": leg_source(source),
        "track_total_hits": True,
    }


def leg_source(source: bool) -> dict[str, Any] | bool:
    """A leg's candidates with CANDIDATE_FIELDS, or ids and scores only. Loading and cutting
    down each hit's stored _source (its embedding is 384 numbers of JSON) was most of a leg's
    time: replaying 150 scale queries, the BM25 leg took 6.0 ms with the fields and 2.0-4.0 ms
    without, the dense leg 5.0 and 2.0-3.0."""
    return {"includes": CANDIDATE_FIELDS} if source else False


def dense_leg(
    vector: list[float], min_score: float, filters: Filters, size: int, source: bool = True
) -> dict[str, Any]:
    return {
        "size": size,
        "query": knn_query(vector, min_score, filters),
        "_source": leg_source(source),
        "track_total_hits": True,
    }


def page_request(ids: list[str], q: str = "", source: bool = True) -> dict[str, Any]:
    """The full documents of one page of results, highlighted for q when given (source:
    False, the highlights only). Then the id still comes as _source: without any _source the
    highlighter read each document once per highlighted field, which doubled the request's
    time (2 ms -> 4-5 ms on 150 scale pages)."""
    body: dict[str, Any] = {
        "size": len(ids),
        "query": {"ids": {"values": ids}},
        "_source": {"excludes": SOURCE_EXCLUDES} if source else {"includes": ["id"]},
    }
    if q:
        body["highlight"] = highlight(q)
    return body


def matching_query(
    q: str,
    vector: list[float] | None,
    min_score: float,
    shape: QueryShape | None = None,
    known: Known = None,
) -> dict[str, Any]:
    """Everything the search counts as a match: plausible text matches (PLAUSIBLE_MATCH) or
    vectors at least min_score close."""
    if not q:
        return {"match_all": {}}
    should: list[dict[str, Any]] = [plausible_text_query(q, shape, known)]
    if vector is not None:
        should.append(knn_query(vector, min_score, None))
    return {"bool": {"should": should, "minimum_should_match": 1}}


def facets_request(
    q: str,
    vector: list[float] | None,
    min_score: float,
    filters: Filters,
    shape: QueryShape | None = None,
    known: Known = None,
) -> dict[str, Any]:
    return {
        "size": 0,
        "query": matching_query(q, vector, min_score, shape, known),
        "aggs": facet_aggregations(filters),
        "track_total_hits": True,
    }


SORTS: dict[str, list[Any]] = {
    "salary_desc": [{"mid_salary": "desc"}, {"name.keyword": "asc"}],
    "salary_asc": [{"mid_salary": "asc"}, {"name.keyword": "asc"}],
    "name": [{"name.keyword": "asc"}],
    # browsing without a query: alphabetical is what a student can scan
    "relevance": [{"name.keyword": "asc"}],
}


def sorted_request(
    q: str,
    vector: list[float] | None,
    min_score: float,
    filters: Filters,
    sort: str,
    offset: int,
    size: int,
    shape: QueryShape | None = None,
    known: Known = None,
) -> dict[str, Any]:
    """Field-sorted results (or browsing): the counted set, paged by OpenSearch itself."""
    body: dict[str, Any] = {
        "from": offset,
        "size": size,
        "query": {
            "bool": {
                "must": [matching_query(q, vector, min_score, shape, known)],
                "filter": filter_clauses(filters),
            }
        },
        "sort": SORTS[sort],
        "_source": {"excludes": SOURCE_EXCLUDES},
        "track_total_hits": True,
    }
    if q:
        body["highlight"] = highlight(q)
    return body


RECOMMEND_FIELDS = ["interests^3", "skills^2", "subjects^1.5", "name^1", "description^1"]


def recommendation_legs(
    text: str, vector: list[float] | None, filters: Filters, size: int
) -> list[dict[str, Any]]:
    """Candidates for recommendations: a BM25 leg over interests and skills, and a plain k-NN
    leg (not radial: a student always gets candidates), both under the hard constraints."""
    clauses = filter_clauses(filters)
    source = {"excludes": ["content_hash"]}
    bodies: list[dict[str, Any]] = []
    if text:
        bodies.append(
            {
                "size": size,
                "query": {
                    "bool": {
                        "must": [
                            {
                                "multi_match": {
                                    "query": text,
                                    "fields": RECOMMEND_FIELDS,
                                    "fuzziness": "AUTO:4,7",
                                    "prefix_length": 1,
                                }
                            }
                        ],
                        "filter": clauses,
                    }
                },
                "_source": source,
            }
        )
    if vector is not None:
        knn: dict[str, Any] = {"vector": vector, "k": size}
        if clauses:
            knn["filter"] = {"bool": {"filter": clauses}}
        bodies.append({"size": size, "query": {"knn": {"embedding": knn}}, "_source": source})
    if not bodies:
        bodies.append(
            {
                "size": size,
                "query": {"bool": {"filter": clauses}},
                "_source": source,
                "sort": [{"mid_salary": "desc"}],
            }
        )
    return bodies
