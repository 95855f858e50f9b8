"""spaCy integration: a blank Chinese pipeline (jieba segmenter) that tags agencies.

The extraction pipeline itself needs no statistical model — no trained Chinese
model can be installed here, and clause structure does the work. This module
gives analysts who work in spaCy the same agency recognizer as a registered,
composable component: ``doc.ents`` are AGENCY spans whose ``span._.agency_id``
is the canonical entity, and jieba keeps every registry name one token.

    >>> nlp = make_nlp(jurisdiction="重庆市")
    >>> [(e.text, e._.agency_id) for e in nlp("市应急局会同市经济信息委负责").ents]
    [('市应急局', '重庆市应急管理局'), ('市经济信息委', '重庆市经济和信息化委员会')]
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from gazettekg.extract.agencies import Registry, Resolver, default_registry, find_mentions

if not Span.has_extension("agency_id"):
    Span.set_extension("agency_id", default=None)


class AgencyRecognizer:
    """Sets ``doc.ents`` to the agencies named in the text (registry spellings and structural matches)."""

    def __init__(self, registry: Registry, jurisdiction: str = "") -> None:
        self.registry = registry
        self.jurisdiction = jurisdiction

    def __call__(self, doc: Doc) -> Doc:
        resolver = Resolver(self.registry, self.jurisdiction)
        spans = []
        for start, end in find_mentions(doc.text, self.registry):
            span = doc.char_span(start, end, label="AGENCY", alignment_mode="expand")
            if span is not None:
                span._.agency_id = resolver.resolve(doc.text[start:end])
                spans.append(span)
        doc.ents = filter_spans(spans)
        return doc


@Language.factory("gazettekg_agencies", default_config={"jurisdiction": ""})
def make_agency_recognizer(nlp: Language, name: str, jurisdiction: str) -> AgencyRecognizer:
    return AgencyRecognizer(default_registry(), jurisdiction)


@cache
def _teach_jieba() -> None:
    import jieba

    for spelling in default_registry().names():
        if not spelling.startswith("@"):
            jieba.add_word(spelling, freq=100000)


def make_nlp(jurisdiction: str = "") -> Language:
    """``spacy.blank("zh")`` segmented by jieba, with the agency recognizer added."""
    _teach_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("gazettekg_agencies", config={"jurisdiction": jurisdiction})
    return nlp
