// workload — per agency, the number of tasks it leads and supports (one per LEADS / SUPPORTS).
// Only agencies with at least one. total = lead + support.
// Columns: agency, lead, support, total. Order: total descending, agency, then lead, support.
MATCH (ag:Agency)-[r:LEADS|SUPPORTS]->(:Task)
WITH ag, count(CASE WHEN type(r) = 'LEADS' THEN 1 END) AS lead,
     count(CASE WHEN type(r) = 'SUPPORTS' THEN 1 END) AS support
RETURN ag.name AS agency, lead, support, lead + support AS total
ORDER BY total DESC, agency, lead, support
