"""Deterministic identifiers shared by the RDF and the property graph.

A key is the same string whatever the input format (PDF or text) and however
often an issue is ingested: documents by their 发文字号, tasks by 发文字号 + heading
path, agencies by their canonical id, other facts by a digest of what they say.
The RDF IRI of a node is ``BASE + kind + "/" + quote(key)``; the property graph
uses the key itself as the node's ``id``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

BASE = "https://w3id.org/gazettekg/id/"

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC without whitespace: 渝府办发〔2021〕156 号 and 渝府办发〔2021〕156号 are one key."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def doc_key(doc_id: str) -> str:
    return normalize(doc_id)


def task_key(doc_id: str, path: str) -> str:
    return f"{doc_key(doc_id)}#{normalize(path) or 'body'}"


def agency_key(agency_id: str) -> str:
    return normalize(agency_id)


def issue_key(issue: str) -> str:
    return normalize(issue)


def fact_key(kind: str, *parts: object) -> str:
    """A short stable digest for facts that have no natural key (deadlines, targets, ...)."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
    return f"{kind}-{digest}"


def iri(kind: str, key: str) -> str:
    return f"{BASE}{kind}/{quote(key, safe='')}"
