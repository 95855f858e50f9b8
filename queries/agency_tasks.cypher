// agency_tasks($agency: agency key) — the tasks one agency leads or supports.
// One row per LEADS / SUPPORTS relationship of the agency. deadline = MIN(Deadline.end) over the
// task's own DUE_BY deadlines (ISO date) or null; targets = number of the task's own AIMS_AT targets.
// Columns: role, basis, doc, path, task, deadline, targets.
// Order: doc, position in the text, path, role, then basis, task, deadline, targets.
MATCH (ag:Agency {id: $agency})-[r:LEADS|SUPPORTS]->(t:Task)<-[:HAS_TASK]-(d:Document)
WHERE t.title IS NOT NULL AND r.basis IS NOT NULL
OPTIONAL MATCH (t)-[:DUE_BY]->(dl:Deadline)
WITH r, t, d, min(dl.end) AS deadline
OPTIONAL MATCH (t)-[:AIMS_AT]->(tg:Target)
WITH r, t, d, deadline, count(DISTINCT tg) AS targets
WITH CASE type(r) WHEN 'LEADS' THEN 'lead' ELSE 'support' END AS role, r.basis AS basis, d.id AS doc,
     r.start AS at, t.path AS path, t.title AS task, deadline, targets
ORDER BY doc, at, path, role, basis, task, deadline, targets
RETURN role, basis, doc, path, task, deadline, targets
