// due_before($date: ISO date) — deadlines whose end (last day meant) is strictly before $date.
// One row per Deadline with an end date. doc = Deadline.doc, path = Deadline.where,
// task = title of the Task it is DUE_BY (null for a document-level deadline, where = "").
// Columns: doc, path, task, deadline, expr, quote. Order: deadline, doc, position in the text, path, expr, then task, quote.
MATCH (dl:Deadline)
WHERE dl.end IS NOT NULL AND dl.end < $date AND dl.expr IS NOT NULL AND dl.quote IS NOT NULL
MATCH (d:Document {id: dl.doc})
OPTIONAL MATCH (t:Task)-[:DUE_BY]->(dl)
WITH d.id AS doc, dl.where AS path, t.title AS task, dl.end AS deadline, dl.expr AS expr, dl.quote AS quote,
     dl.quote_start AS at
ORDER BY deadline, doc, at, path, expr, task, quote
RETURN doc, path, task, deadline, expr, quote
