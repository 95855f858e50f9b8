// document_links — SUPERSEDES and CITES relationships between documents (cites: only cited
// 发文字号; the target may be a stub document never ingested). doc and target are document keys.
// Columns: doc, relation ("supersedes" | "cites"), target. Order: doc, relation, target.
MATCH (d:Document)-[r:SUPERSEDES|CITES]->(o:Document)
RETURN DISTINCT d.id AS doc, toLower(type(r)) AS relation, o.id AS target
ORDER BY doc, relation, target
