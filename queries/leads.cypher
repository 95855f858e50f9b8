// leads — every (agency, task) pair where the agency leads, with the quote naming it.
// One row per LEADS relationship. doc = document key, path = task path, task = task title,
// quote = the assignment's source quote.
// Columns: agency, doc, path, task, quote. Order: agency, doc, position in the text, then path, task, quote.
MATCH (ag:Agency)-[r:LEADS]->(t:Task)<-[:HAS_TASK]-(d:Document)
WHERE t.title IS NOT NULL AND r.quote IS NOT NULL
WITH ag.name AS agency, d.id AS doc, r.start AS at, t.path AS path, t.title AS task, r.quote AS quote
ORDER BY agency, doc, at, path, task, quote
RETURN agency, doc, path, task, quote
