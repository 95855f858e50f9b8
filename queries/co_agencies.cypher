// co_agencies($agency: agency key) — the other agencies assigned (lead or support) to the
// same tasks as $agency. shared_tasks = number of distinct such tasks.
// Columns: agency, shared_tasks. Order: shared_tasks descending, then agency.
MATCH (me:Agency {id: $agency})-[:LEADS|SUPPORTS]->(t:Task)<-[:LEADS|SUPPORTS]-(other:Agency)
WHERE other <> me
WITH other, count(DISTINCT t) AS shared_tasks
RETURN other.name AS agency, shared_tasks
ORDER BY shared_tasks DESC, agency
