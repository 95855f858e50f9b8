// leads — every (agency, task) pair where the agency leads, with the quote naming it.
// One row per LEADS relationship. doc = document key, path = task path, task = task title,
// quote = the assignment's source quote.
// Columns: agency, doc, path, task, quote. Order: agency, doc, path, then task, quote.
MATCH (ag:Agency)-[r:LEADS]->(t:Task)<-[:HAS_TASK]-(d:Document)
WHERE t.title IS NOT NULL AND r.quote IS NOT NULL
RETURN ag.name AS agency, d.id AS doc, t.path AS path, t.title AS task, r.quote AS quote
ORDER BY agency, doc, path, task, quote
